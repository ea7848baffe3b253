package com.securecom.client.net;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.wire.WireMessage;
import java.time.Duration;

/**
 * An open, authenticated relay connection as the messenger uses it ({@link RelayConnection} is the
 * real one).
 */
public interface RelayLink extends AutoCloseable {
  /** Sends one relay message; thread-safe. */
  void send(WireMessage message);

  /**
   * Waits until the server handled everything sent so far and the listener saw everything before
   * that.
   */
  void sync() throws ChannelException;

  /** Waits until the connection ends; returns the close code. */
  int awaitCloseCode() throws InterruptedException;

  /** How long the channel handshake took. */
  Duration handshakeTime();

  /** The device the server authenticated this connection as (its token's; {@code ready.device}). */
  int device();

  @Override
  void close();

  /** Opens a relay connection for a bearer token; messages go to {@code listener}, in order. */
  @FunctionalInterface
  interface Connector {
    RelayLink open(String token, RelayConnection.Listener listener) throws ChannelException;
  }
}
