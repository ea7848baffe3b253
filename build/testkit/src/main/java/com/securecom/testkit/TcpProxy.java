package com.securecom.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a loopback port in front of a server on another loopback port. A test can take
 * "the server" away and bring it back on the same address ({@link #cut()}: the port closes and
 * every connection through it is reset; {@link #restore()}: it listens again), and a {@linkplain
 * #recording recording} proxy keeps every byte it forwards in both directions, as an attacker's
 * proxy on the network path would, for a test to look for secrets in ({@link #saw}).
 */
public final class TcpProxy implements AutoCloseable {
  private final int targetPort;
  private final boolean record;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;
  private int port;

  private TcpProxy(int targetPort, boolean record) {
    this.targetPort = targetPort;
    this.record = record;
    listen(0);
  }

  /** A proxy to 127.0.0.1:{@code port}. */
  public static TcpProxy to(int port) {
    return new TcpProxy(port, false);
  }

  /** A proxy to 127.0.0.1:{@code port} that records what it forwards. */
  public static TcpProxy recording(int port) {
    return new TcpProxy(port, true);
  }

  /** The loopback port it listens on (the same after {@link #restore()}). */
  public int port() {
    return port;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Every byte forwarded so far, both directions interleaved as they came (recording only). */
  public byte[] recorded() {
    synchronized (recorded) {
      return recorded.toByteArray();
    }
  }

  /** True if {@code text} (as UTF-8) appears anywhere in what was forwarded (recording only). */
  public boolean saw(String text) {
    return indexOf(recorded(), text.getBytes(StandardCharsets.UTF_8)) >= 0;
  }

  /** The server is gone: nothing listens on the port, and open connections are reset. */
  public void cut() {
    closeQuietly(listener);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  /** The server is back on the same port. */
  public void restore() {
    listen(port);
  }

  @Override
  public void close() {
    cut();
  }

  private void listen(int wanted) {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
      port = server.getLocalPort();
      listener = server;
      Thread accept = new Thread(() -> acceptLoop(server), "proxy-accept-" + port);
      accept.setDaemon(true);
      accept.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptLoop(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  if (record) {
                    synchronized (recorded) {
                      recorded.write(buffer, 0, n);
                    }
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException closed) {
                // one side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception e) {
      // closing anyway
    }
  }
}
