package com.securecom.client.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transparent man in the middle on loopback: it accepts TCP connections, forwards each to one
 * target, and records every byte it forwards in both directions, as an attacker's proxy on the
 * network path would. Tests point a client at it and look for secrets in what it saw.
 */
final class RecordingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private RecordingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(this::accept, "recording-proxy");
    accepting.setDaemon(true);
    accepting.start();
  }

  /** A proxy to 127.0.0.1:{@code port}. */
  static RecordingProxy toLoopbackPort(int port) throws IOException {
    return new RecordingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Every byte forwarded so far, both directions interleaved as they came. */
  byte[] recorded() {
    synchronized (recorded) {
      return recorded.toByteArray();
    }
  }

  /** True if {@code text} (as UTF-8) appears anywhere in what was forwarded. */
  boolean saw(String text) {
    return indexOf(recorded(), text.getBytes(StandardCharsets.UTF_8)) >= 0;
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

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        connections.incrementAndGet();
        Socket server = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
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
                  synchronized (recorded) {
                    recorded.write(buffer, 0, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ended) {
                // one side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "recording-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(RecordingProxy::closeQuietly);
  }
}
