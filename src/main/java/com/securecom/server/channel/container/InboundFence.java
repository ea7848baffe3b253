package com.securecom.server.channel.container;

/**
 * Reads the headers of the WebSocket frames a client sends, as the bytes arrive and before the
 * container buffers them, and refuses a message whose declared size is over its limit: the first
 * two messages of a connection (the channel's ClientHello and {@code auth}) may be at most {@link
 * #PRE_AUTH_LIMIT} bytes, every later one at most the limit the relay sets ({@link
 * #limitAfterAuth}); a fragmented message counts with all its fragments. Control frames (close,
 * ping, pong) may carry at most 125 bytes (RFC 6455 section 5.5) and are not messages.
 *
 * <p>Once a frame is refused, nothing more of the connection reaches the container: {@link #accept}
 * passes only the bytes before that frame, and {@link #onOversize} runs once (the relay closes the
 * socket with 1009). So a peer can make the container hold at most one message's limit, whatever it
 * declares. Not thread-safe: the container reads a connection from one thread at a time.
 */
public final class InboundFence {
  /**
   * The largest message accepted before authentication: a ClientHello is 33 bytes, an {@code auth}
   * frame ~100.
   */
  public static final int PRE_AUTH_LIMIT = 1024;

  /** Until the relay says otherwise: the channel's hard ceiling. */
  static final int DEFAULT_LIMIT = 1 << 20;

  private static final int PRE_AUTH_MESSAGES = 2;
  private static final int CONTROL_LIMIT = 125;
  private static final ThreadLocal<InboundFence> UPGRADING = new ThreadLocal<>();

  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadLeft;
  private long messages;
  private long messageBytes;
  private boolean inMessage;
  private volatile int limitAfterAuth = DEFAULT_LIMIT;
  private volatile Runnable onOversize;
  private boolean refused;
  private long refusedDeclared;

  /**
   * The fence of the connection being opened on this thread, or null: the container opens the
   * endpoint (its {@code @OnOpen}) on the thread that initialises the upgraded connection, where
   * {@link FencedUpgradeHandler} sets it.
   */
  public static InboundFence ofConnectionBeingOpened() {
    return UPGRADING.get();
  }

  static void opening(InboundFence fence) {
    if (fence == null) {
      UPGRADING.remove();
    } else {
      UPGRADING.set(fence);
    }
  }

  /** The largest message accepted after the first two. */
  public void limitAfterAuth(int bytes) {
    this.limitAfterAuth = bytes;
  }

  /** What to do, once, when a frame is refused (called on the reading thread). */
  public void onOversize(Runnable action) {
    this.onOversize = action;
  }

  /** True once a frame was refused: nothing more is passed on. */
  public boolean refused() {
    return refused;
  }

  /** The size the refused message declared (0 if none was refused). */
  long refusedDeclared() {
    return refusedDeclared;
  }

  /**
   * Reads {@code length} bytes of the stream and returns how many of them, from {@code offset}, may
   * reach the container: all of them, or once a frame is refused, those before that frame's first
   * byte in this chunk.
   */
  public int accept(byte[] bytes, int offset, int length) {
    if (refused) {
      return 0;
    }
    int position = offset;
    int end = offset + length;
    int frameStart = headerLength == 0 ? offset : -1;
    while (position < end) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, end - position);
        payloadLeft -= skip;
        position += (int) skip;
        continue;
      }
      if (headerLength == 0) {
        frameStart = position;
      }
      header[headerLength++] = bytes[position++];
      if (headerLength == 2) {
        headerNeeded = 2 + extendedLengthBytes() + ((header[1] & 0x80) != 0 ? 4 : 0);
      }
      if (headerLength == headerNeeded) {
        if (!headerAccepted()) {
          refuse();
          return frameStart < 0 ? 0 : frameStart - offset;
        }
        headerLength = 0;
        headerNeeded = 2;
      }
    }
    return length;
  }

  private int extendedLengthBytes() {
    int code = header[1] & 0x7F;
    return code == 126 ? 2 : code == 127 ? 8 : 0;
  }

  private long declaredLength() {
    int code = header[1] & 0x7F;
    if (code < 126) {
      return code;
    }
    long length = 0;
    for (int i = 0; i < extendedLengthBytes(); i++) {
      length = (length << 8) | (header[2 + i] & 0xFF);
    }
    return length; // negative if the top bit of a 64-bit length is set
  }

  private boolean headerAccepted() {
    long length = declaredLength();
    boolean fin = (header[0] & 0x80) != 0;
    int opcode = header[0] & 0x0F;
    if (length < 0) {
      refusedDeclared = Long.MAX_VALUE;
      return false;
    }
    if ((opcode & 0x08) != 0) {
      payloadLeft = length;
      refusedDeclared = length;
      return length <= CONTROL_LIMIT;
    }
    if (opcode != 0 || !inMessage) {
      messages++;
      messageBytes = 0;
    }
    messageBytes += length;
    inMessage = !fin;
    payloadLeft = length;
    refusedDeclared = messageBytes;
    return messageBytes <= (messages <= PRE_AUTH_MESSAGES ? PRE_AUTH_LIMIT : limitAfterAuth);
  }

  private void refuse() {
    refused = true;
    Runnable action = onOversize;
    if (action != null) {
      action.run();
    }
  }
}
