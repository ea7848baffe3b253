package com.securecom.server.channel.container;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the headers of the WebSocket frames a client sends, as the bytes arrive and before the
 * container buffers them, and refuses a message whose declared size is over its limit: the first
 * two messages of a connection (the channel's ClientHello and {@code auth}) may be at most {@link
 * #PRE_AUTH_LIMIT} bytes, every later one at most the limit the relay sets ({@link
 * #limitAfterAuth}); a fragmented message counts with all its fragments. Control frames (close,
 * ping, pong) may carry at most 125 bytes (RFC 6455 section 5.5) and are not messages.
 *
 * <p>Every client frame must be masked (RFC 6455 section 5.1; Tyrus 2.1 does not check). The fence
 * removes the mask itself: it passes each frame on with the mask bit cleared, without its 4-byte
 * masking key, and with the payload unmasked in place, eight bytes at a time. Tyrus then only
 * copies the payload. Its own unmasking ({@code Masker.unmask}) reads and writes a volatile index
 * for every byte, and was the relay's hottest method
 * (docs/upstream/tyrus-masker-volatile-index.md).
 *
 * <p>Once a frame is refused, nothing more of the connection reaches the container: {@link #accept}
 * passes only the bytes before that frame, and {@link #onOversize} (the relay closes the socket
 * with 1009) or {@link #onUnmasked} (1002) runs once. So a peer can make the container hold at most
 * one message's limit, whatever it declares. Not thread-safe: the container reads a connection from
 * one thread at a time.
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
  private static final int MASK_BIT = 0x80;
  private static final int KEY_BYTES = 4;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadLeft;
  private long messages;
  private long messageBytes;
  private boolean inMessage;
  private volatile int limitAfterAuth = DEFAULT_LIMIT;
  private final byte[] key = new byte[KEY_BYTES];
  private int keyPhase;
  private volatile Runnable onOversize;
  private volatile Runnable onUnmasked;
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

  /** What to do, once, when a frame arrives unmasked (called on the reading thread). */
  public void onUnmasked(Runnable action) {
    this.onUnmasked = action;
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
   * Reads {@code length} bytes of the stream from {@code offset} and rewrites them in place into
   * what may reach the container: the same frames, unmasked and without their masking keys, up to
   * the first refused frame (none of whose bytes in this chunk pass). Returns how many bytes, from
   * {@code offset}, to pass on; 0 when all of them were masking keys or nothing may pass.
   */
  public int accept(byte[] bytes, int offset, int length) {
    if (refused) {
      return 0;
    }
    int in = offset;
    int out = offset;
    int end = offset + length;
    int frameStart = headerLength == 0 ? offset : -1;
    while (in < end) {
      if (payloadLeft > 0) {
        int count = (int) Math.min(payloadLeft, end - in);
        unmask(bytes, in, out, count);
        payloadLeft -= count;
        in += count;
        out += count;
        continue;
      }
      if (headerLength == 0) {
        frameStart = out;
      }
      byte next = bytes[in++];
      header[headerLength++] = next;
      if (headerLength == 2) {
        if ((next & MASK_BIT) == 0) {
          refuse(onUnmasked);
          return frameStart < 0 ? 0 : frameStart - offset;
        }
        next &= ~MASK_BIT;
        headerNeeded = 2 + extendedLengthBytes() + KEY_BYTES;
      }
      if (headerLength == 1 || headerLength <= headerNeeded - KEY_BYTES) {
        bytes[out++] = next;
      }
      if (headerLength == headerNeeded) {
        if (!headerAccepted()) {
          refuse(onOversize);
          return frameStart < 0 ? 0 : frameStart - offset;
        }
        System.arraycopy(header, headerNeeded - KEY_BYTES, key, 0, KEY_BYTES);
        keyPhase = 0;
        headerLength = 0;
        headerNeeded = 2;
      }
    }
    return out - offset;
  }

  /**
   * XORs {@code count} payload bytes at {@code from} with the frame's masking key, continuing where
   * the previous chunk of the payload stopped, and writes them at {@code to} (never after {@code
   * from}, so the forward copy is safe in place).
   */
  private void unmask(byte[] bytes, int from, int to, int count) {
    long pattern = 0;
    for (int i = 7; i >= 0; i--) {
      pattern = (pattern << 8) | (key[(keyPhase + i) & 3] & 0xFF);
    }
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      LONGS.set(bytes, to + i, (long) LONGS.get(bytes, from + i) ^ pattern);
    }
    for (; i < count; i++) {
      bytes[to + i] = (byte) (bytes[from + i] ^ key[(keyPhase + i) & 3]);
    }
    keyPhase = (keyPhase + count) & 3;
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

  private void refuse(Runnable action) {
    refused = true;
    if (action != null) {
      action.run();
    }
  }
}
