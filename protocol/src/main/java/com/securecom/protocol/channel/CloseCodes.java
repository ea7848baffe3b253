package com.securecom.protocol.channel;

/** The WebSocket close codes of the channel, as documented in docs/protocol.md. */
public final class CloseCodes {
  /** Normal closure. */
  public static final int NORMAL = 1000;

  /**
   * A WebSocket protocol error: the client sent a frame without a masking key (RFC 6455 section
   * 5.1).
   */
  public static final int PROTOCOL_ERROR = 1002;

  /** A frame could not be parsed or did not authenticate. */
  public static final int MALFORMED = 1007;

  /**
   * A policy was broken: replayed or reordered frame, unsupported version, message before
   * authentication.
   */
  public static final int POLICY = 1008;

  /** A frame was larger than the channel allows. */
  public static final int TOO_BIG = 1009;

  /** The server failed; the client may reconnect. */
  public static final int SERVER_ERROR = 1011;

  /** No, a bad, an expired or a revoked bearer token: log in again. */
  public static final int UNAUTHORIZED = 4401;

  /** The same device connected elsewhere; this connection was replaced. */
  public static final int CONNECTED_ELSEWHERE = 4409;

  /** This device was removed from its account: do not reconnect, and stop using its keys. */
  public static final int DEVICE_REMOVED = 4410;

  /**
   * The account has more than one device and this connection speaks a relay message version below
   * 4: do not reconnect with this client, it cannot address the account's devices.
   */
  public static final int UPGRADE_REQUIRED = 4426;

  /** The connection sent faster than its rate limit allows. */
  public static final int RATE_LIMITED = 4429;

  private CloseCodes() {}
}
