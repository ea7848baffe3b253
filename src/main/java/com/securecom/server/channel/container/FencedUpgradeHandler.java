package com.securecom.server.channel.container;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, reading through an {@link InboundFence}. Tyrus 2.1 buffers a frame whole
 * before it looks at its size (up to its 4 MiB {@code incomingBufferSize}, then it closes with 1011
 * "Buffer overflow."); reading through the fence, no refused frame's payload ever reaches it. The
 * fence is made visible to the endpoint opened during {@link #init} (see {@link
 * InboundFence#ofConnectionBeingOpened()}).
 *
 * <p>Also guards the container's lifecycle calls: with a socket that closes while it is being
 * opened, the container can call {@code destroy()} or {@code onError} before {@code init} has
 * created Tyrus's connection; the handler then only closes the socket instead of failing inside
 * Tyrus.
 */
public class FencedUpgradeHandler extends TyrusHttpUpgradeHandler {
  private final InboundFence fence = new InboundFence();
  private final AtomicBoolean opened = new AtomicBoolean();
  private volatile WebConnection connection;

  @Override
  public void init(WebConnection webConnection) {
    connection = webConnection;
    InboundFence.opening(fence);
    try {
      super.init(new FencedConnection(webConnection, fence));
      opened.set(true);
    } finally {
      InboundFence.opening(null);
    }
  }

  @Override
  public void onAllDataRead() {
    if (opened.get()) {
      super.onAllDataRead();
    } else {
      closeQuietly();
    }
  }

  @Override
  public void onError(Throwable error) {
    if (opened.get()) {
      super.onError(error);
    } else {
      closeQuietly();
    }
  }

  @Override
  public void destroy() {
    if (opened.get()) {
      super.destroy();
    } else {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    WebConnection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (Exception alreadyClosed) {
        // nothing left to release
      }
    }
  }

  /** The upgraded connection with its input read through the fence. */
  private static final class FencedConnection implements WebConnection {
    private final WebConnection delegate;
    private final InboundFence fence;
    private ServletInputStream input;

    FencedConnection(WebConnection delegate, InboundFence fence) {
      this.delegate = delegate;
      this.fence = fence;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (input == null) {
        input = new FencedInputStream(delegate.getInputStream(), fence);
      }
      return input;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return delegate.getOutputStream();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }
}
