package com.securecom.protocol.crypto;

import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-256-GCM with a 128-bit tag that chooses its own nonces: every {@link #seal} draws a fresh
 * 96-bit nonce from a {@link SecureRandom} and writes it into its output, so no caller can repeat
 * one. A sealed record is
 *
 * <pre>
 * header [h] || nonce [12] || ciphertext [n] || tag [16]
 * </pre>
 *
 * <p>Confidentiality covers the plaintext. Integrity covers the plaintext, the header (sent in the
 * clear), the nonce and the associated data (not sent): the tag is computed over the associated
 * data {@code header || nonce || associatedData}, so nothing before the ciphertext can change
 * unnoticed, and a record opens only with the associated data it was sealed with.
 *
 * <p>Random nonces are safe for up to 2^32 records under one key (NIST SP 800-38D, section 8.3): a
 * key that seals more must be replaced sooner. Instances are not thread-safe.
 */
public final class RandomNonceAesGcm {
  public static final int KEY_BYTES = InsecureNonceAesGcm.KEY_BYTES;
  public static final int NONCE_BYTES = InsecureNonceAesGcm.NONCE_BYTES;
  public static final int TAG_BYTES = InsecureNonceAesGcm.TAG_BYTES;

  private static final SecureRandom NONCES = new SecureRandom();

  private final InsecureNonceAesGcm gcm;

  /**
   * @throws IllegalArgumentException if {@code key} is not 32 bytes long
   */
  public RandomNonceAesGcm(byte[] key) {
    this.gcm = new InsecureNonceAesGcm(key);
  }

  /**
   * {@code header || nonce || ciphertext || tag} under a fresh random nonce; {@code header} may be
   * empty.
   */
  public byte[] seal(byte[] header, byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    NONCES.nextBytes(nonce);
    byte[] clearPart = Bytes.concat(header, nonce);
    byte[] sealed =
        gcm.sealWithPrefix(
            clearPart.length, nonce, plaintext, Bytes.concat(clearPart, associatedData));
    System.arraycopy(clearPart, 0, sealed, 0, clearPart.length);
    return sealed;
  }

  /**
   * The plaintext of a record {@link #seal sealed} with a header of {@code headerLength} bytes.
   *
   * @throws DecryptionFailedException if the record is too short or its tag does not verify (wrong
   *     key, header length or associated data, or any bit changed)
   */
  public byte[] open(byte[] sealed, int headerLength, byte[] associatedData)
      throws DecryptionFailedException {
    if (headerLength < 0 || sealed.length - headerLength < NONCE_BYTES + TAG_BYTES) {
      throw new DecryptionFailedException();
    }
    int ciphertextStart = headerLength + NONCE_BYTES;
    byte[] nonce = Arrays.copyOfRange(sealed, headerLength, ciphertextStart);
    byte[] authenticated = Bytes.concat(Arrays.copyOf(sealed, ciphertextStart), associatedData);
    return gcm.open(nonce, sealed, ciphertextStart, sealed.length - ciphertextStart, authenticated);
  }
}
