package com.securecom.protocol.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK (AES-NI where the CPU has it) with a 128-bit tag.
 *
 * <p>Confidentiality covers the plaintext; integrity covers the plaintext and the associated data. The caller supplies
 * the 12-byte nonce and MUST never use one nonce twice under one key: every user of this class derives nonces from a
 * counter that only moves forward, or uses each key exactly once. Instances are not thread-safe.
 */
public final class AesGcm {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private final SecretKeySpec key;
  private final Cipher cipher;

  public AesGcm(byte[] key) {
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

  /** Ciphertext followed by the 16-byte tag. */
  public byte[] seal(byte[] nonce, byte[] plaintext, byte[] associatedData) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Same as {@link #seal(byte[], byte[], byte[])}, writing after {@code prefixLength} reserved bytes. */
  public byte[] sealWithPrefix(int prefixLength, byte[] nonce, byte[] plaintext, byte[] associatedData) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
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
   * @throws DecryptionFailedException if the tag does not verify (wrong key, nonce, associated data or any bit
   *     changed)
   */
  public byte[] open(byte[] nonce, byte[] input, int offset, int length, byte[] associatedData)
      throws DecryptionFailedException {
    if (length < TAG_BYTES) {
      throw new DecryptionFailedException();
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(input, offset, length);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException();
    } catch (GeneralSecurityException e) {
      throw new DecryptionFailedException();
    }
  }

  public byte[] open(byte[] nonce, byte[] ciphertext, byte[] associatedData) throws DecryptionFailedException {
    return open(nonce, ciphertext, 0, ciphertext.length, associatedData);
  }
}
