package com.securecom.server.channel.container;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * The upgraded connection's input as the container's WebSocket engine reads it, through an {@link
 * InboundFence}: frames pass unmasked (without their masking keys, so a read may pass fewer bytes
 * than it read, or none) until a frame is refused; from then on everything that arrives is read and
 * dropped (so the socket's buffers do not fill and nothing is kept), and reads return 0, never -1
 * (Tyrus 2.1's {@code TyrusHttpUpgradeHandler.fillBuf} fails on -1).
 */
final class FencedInputStream extends ServletInputStream {
  private final ServletInputStream in;
  private final InboundFence fence;
  private final byte[] scratch = new byte[8192];

  FencedInputStream(ServletInputStream in, InboundFence fence) {
    this.in = in;
    this.fence = fence;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (fence.refused()) {
      drop();
      return 0;
    }
    int read = in.read(bytes, offset, length);
    if (read <= 0) {
      return read;
    }
    int passed = fence.accept(bytes, offset, read);
    if (fence.refused()) {
      drop();
    }
    return passed;
  }

  @Override
  public int read(byte[] bytes) throws IOException {
    return read(bytes, 0, bytes.length);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read;
    do {
      read = read(one, 0, 1);
    } while (read == 0 && !fence.refused() && in.isReady());
    return read == 1 ? one[0] & 0xFF : -1;
  }

  private void drop() throws IOException {
    while (in.isReady() && !in.isFinished()) {
      if (in.read(scratch) <= 0) {
        return;
      }
    }
  }

  @Override
  public int available() throws IOException {
    return fence.refused() ? 0 : in.available();
  }

  @Override
  public boolean isFinished() {
    return in.isFinished();
  }

  @Override
  public boolean isReady() {
    return in.isReady();
  }

  @Override
  public void setReadListener(ReadListener listener) {
    in.setReadListener(listener);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
