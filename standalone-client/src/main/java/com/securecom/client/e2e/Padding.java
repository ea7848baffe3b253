package com.securecom.client.e2e;

import com.securecom.protocol.crypto.BlockPadding;
import com.securecom.protocol.crypto.DecryptionFailedException;

/**
 * Hides a payload's length inside 256-byte blocks (docs/protocol.md, "Padding"): {@code content ||
 * 0x80 || 0x00*}, the total a multiple of {@link #BLOCK}. An envelope's size then tells the relay
 * only the payload's size rounded up to 256 bytes, so receipts about one message and texts up to
 * 150 bytes all look alike.
 */
public final class Padding {
  /** The block size: every padded plaintext is a positive multiple of it. */
  public static final int BLOCK = 256;

  private Padding() {}

  /**
   * {@code content || 0x80 || 0x00*z}, z the smallest that makes the length a multiple of {@link
   * #BLOCK}.
   */
  public static byte[] pad(byte[] content) {
    return BlockPadding.pad(content, BLOCK);
  }

  /**
   * The content of a padded plaintext.
   *
   * @throws DecryptionFailedException if the length is 0 or not a multiple of {@link #BLOCK}, or
   *     the last byte that is not 0x00 is missing or is not 0x80
   */
  public static byte[] unpad(byte[] padded) throws DecryptionFailedException {
    return BlockPadding.unpad(padded, BLOCK);
  }
}
