package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.ByteBuffer;

/**
 * Opens the frames of one direction, in order. A frame whose counter is not the next one expected
 * (replayed, reordered or dropped in between) ends the channel with 1008; one that is too short or
 * fails authentication ends it with 1007. Not thread-safe: frames of one connection arrive one at a
 * time.
 */
final class FrameOpener {
  private final InsecureNonceAesGcm aead;
  private final Direction direction;
  private long expected;

  FrameOpener(byte[] key, Direction direction) {
    this.aead = new InsecureNonceAesGcm(key);
    this.direction = direction;
  }

  byte[] open(byte[] frame) throws ChannelException {
    if (frame.length < FrameSealer.HEADER_BYTES + InsecureNonceAesGcm.TAG_BYTES) {
      throw new ChannelException(CloseCodes.MALFORMED, "malformed frame");
    }
    long n = ByteBuffer.wrap(frame).getLong(0);
    if (n != expected) {
      throw new ChannelException(CloseCodes.POLICY, "frame out of sequence");
    }
    try {
      byte[] plaintext =
          aead.open(
              FrameSealer.nonce(direction, n),
              frame,
              FrameSealer.HEADER_BYTES,
              frame.length - FrameSealer.HEADER_BYTES,
              FrameSealer.associatedData(direction, n));
      expected++;
      return plaintext;
    } catch (DecryptionFailedException e) {
      throw new ChannelException(CloseCodes.MALFORMED, "decryption failed");
    }
  }
}
