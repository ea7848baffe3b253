package com.securecom.server.channel;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.wire.MalformedMessageException;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;

/**
 * One connection's relay messages as frames on its socket, with nothing of the socket: a frame
 * opened and strictly decoded (a malformed message ends the connection with 1007), a message
 * encoded and sealed. {@link ClientConnection} does all its framing here, and the benchmarks run
 * the same code without a container.
 *
 * <p>Not thread-safe, as {@link SecureChannel} is not: frames are opened one at a time, and the
 * caller holds one lock around {@link #seal} and the write of its result.
 */
public final class ChannelFrames {
  private static final WireCodec CODEC = new WireCodec();

  private final SecureChannel channel;

  public ChannelFrames(SecureChannel channel) {
    this.channel = channel;
  }

  /**
   * The message in the next frame from the client.
   *
   * @throws ChannelException 1007 if it does not open or is not a valid message; 1008 out of order
   */
  public WireMessage open(byte[] frame) throws ChannelException {
    return decode(channel.open(frame));
  }

  /** A message's plaintext (UTF-8 JSON), before sealing: its size counts against the client. */
  public static byte[] encode(WireMessage message) {
    return CODEC.encode(message);
  }

  /** The frame that carries {@code plaintext}, the next in counter order. */
  public byte[] seal(byte[] plaintext) {
    return channel.seal(plaintext);
  }

  private static WireMessage decode(byte[] plaintext) throws ChannelException {
    try {
      return CODEC.decode(plaintext);
    } catch (MalformedMessageException e) {
      throw new ChannelException(CloseCodes.MALFORMED, e.getMessage());
    }
  }
}
