package com.securecom.protocol.crypto;

import java.util.Arrays;

/**
 * Hides a plaintext's length inside blocks (docs/protocol.md, "Padding"): {@code content || 0x80 ||
 * 0x00*}, the total the smallest positive multiple of the block size that holds them. The peer
 * protocol pads payloads to 256-byte blocks; the provisioning message of linking pads to 1,024.
 */
public final class BlockPadding {
  private static final byte MARK = (byte) 0x80;

  private BlockPadding() {}

  /**
   * {@code content || 0x80 || 0x00*z}, z the smallest that makes the length a multiple of {@code
   * block}.
   */
  public static byte[] pad(byte[] content, int block) {
    int padded = (content.length / block + 1) * block;
    byte[] out = Arrays.copyOf(content, padded);
    out[content.length] = MARK;
    return out;
  }

  /**
   * The content of a padded plaintext.
   *
   * @throws DecryptionFailedException if the length is 0 or not a multiple of {@code block}, or the
   *     last byte that is not 0x00 is missing or is not 0x80
   */
  public static byte[] unpad(byte[] padded, int block) throws DecryptionFailedException {
    if (padded.length == 0 || padded.length % block != 0) {
      throw new DecryptionFailedException();
    }
    int i = padded.length - 1;
    while (i >= 0 && padded[i] == 0) {
      i--;
    }
    if (i < 0 || padded[i] != MARK) {
      throw new DecryptionFailedException();
    }
    return Arrays.copyOf(padded, i);
  }
}
