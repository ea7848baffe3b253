package com.securecom.protocol.channel;

/**
 * An open channel: seals what this side sends and opens what the other side sent. Sealing and
 * opening are each single-threaded; a caller that sends from several threads must hold one lock
 * around {@link #seal} and the write of its result, so frames leave in counter order.
 */
public final class SecureChannel {
  private final FrameSealer outgoing;
  private final FrameOpener incoming;

  SecureChannel(
      byte[] sendKey, Direction sendDirection, byte[] receiveKey, Direction receiveDirection) {
    this.outgoing = new FrameSealer(sendKey, sendDirection);
    this.incoming = new FrameOpener(receiveKey, receiveDirection);
  }

  public byte[] seal(byte[] plaintext) {
    return outgoing.seal(plaintext);
  }

  /**
   * The plaintext of the next frame from the other side.
   *
   * @throws ChannelException with the close code that must end the connection
   */
  public byte[] open(byte[] frame) throws ChannelException {
    return incoming.open(frame);
  }
}
