package com.securecom.protocol.crypto.internal;

import com.securecom.protocol.crypto.DecryptionFailedException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK (AES-NI where the CPU has it) with a 128-bit tag and a nonce THE CALLER
 * CHOOSES: the shape Tink calls {@code InsecureNonceAesGcmJce}. Prefer {@link
 * com.securecom.protocol.crypto.RandomNonceAesGcm}, which picks its own nonces; use this class only
 * where the nonce is part of a published format and cannot be random.
 *
 * <p>Confidentiality covers the plaintext; integrity covers the plaintext, the associated data and
 * the nonce.
 *
 * <p><b>The caller MUST never seal two messages under one key with one nonce.</b> A repeated nonce
 * reveals the XOR of the two plaintexts and lets anyone who sees both ciphertexts forge tags under
 * that key (Joux, "Authentication failures in NIST version of GCM"). Every caller must be able to
 * say why its nonces cannot repeat; today's can:
 *
 * <ul>
 *   <li>the channel's {@code FrameSealer} and {@code FrameOpener}: a fresh key per direction and
 *       connection, and a nonce built from the direction and a frame counter that starts at 0 and
 *       only moves forward;
 *   <li>the client's Double Ratchet ({@code DoubleRatchet}, with {@code Kdf.message}): key and
 *       nonce are both derived from a message key that seals exactly one message;
 *   <li>{@code RandomNonceAesGcm}, which gives it a fresh random nonce every time;
 *   <li>the provisioning message of linking ({@code devices.ProvisioningCipher}): key and nonce are
 *       both derived from the shared secret of a fresh one-use X25519 key, which seals exactly one
 *       message;
 *   <li>the vector generators and this class's tests, with fixed published inputs.
 * </ul>
 *
 * Instances are not thread-safe.
 */
public final class InsecureNonceAesGcm {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private final SecretKeySpec key;
  private final Cipher cipher;

  public InsecureNonceAesGcm(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    this.key = new SecretKeySpec(key, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is required by the Java platform", e);
    }
  }

  /**
   * Ciphertext followed by the 16-byte tag.
   *
   * @param nonce 12 bytes never used before under this key (see the class comment)
   * @throws IllegalArgumentException if the nonce is not 12 bytes long
   */
  public byte[] seal(byte[] nonce, byte[] plaintext, byte[] associatedData) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, parameters(nonce));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Same as {@link #seal(byte[], byte[], byte[])}, writing after {@code prefixLength} reserved
   * bytes.
   */
  public byte[] sealWithPrefix(
      int prefixLength, byte[] nonce, byte[] plaintext, byte[] associatedData) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, parameters(nonce));
      cipher.updateAAD(associatedData);
      byte[] out = new byte[prefixLength + cipher.getOutputSize(plaintext.length)];
      cipher.doFinal(plaintext, 0, plaintext.length, out, prefixLength);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Opens {@code length} bytes of ciphertext-and-tag starting at {@code offset}.
   *
   * @throws DecryptionFailedException if the tag does not verify (wrong key, nonce, associated data
   *     or any bit changed)
   * @throws IllegalArgumentException if the nonce is not 12 bytes long (a bug in the caller, not in
   *     the input)
   */
  public byte[] open(byte[] nonce, byte[] input, int offset, int length, byte[] associatedData)
      throws DecryptionFailedException {
    GCMParameterSpec parameters = parameters(nonce);
    if (length < TAG_BYTES) {
      throw new DecryptionFailedException();
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, parameters);
      cipher.updateAAD(associatedData);
      return cipher.doFinal(input, offset, length);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException();
    } catch (GeneralSecurityException e) {
      throw new DecryptionFailedException();
    }
  }

  public byte[] open(byte[] nonce, byte[] ciphertext, byte[] associatedData)
      throws DecryptionFailedException {
    return open(nonce, ciphertext, 0, ciphertext.length, associatedData);
  }

  private static GCMParameterSpec parameters(byte[] nonce) {
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("AES-GCM here takes a 12-byte nonce");
    }
    return new GCMParameterSpec(TAG_BYTES * 8, nonce);
  }
}
