package com.securecom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Free TCP ports on loopback. */
public final class Ports {
  private Ports() {}

  /** {@code count} loopback ports that were free a moment ago, all different. */
  public static List<Integer> free(int count) {
    Set<Integer> ports = new LinkedHashSet<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports.add(socket.getLocalPort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    return List.copyOf(ports);
  }

  /** One free loopback port. */
  public static int free() {
    return free(1).get(0);
  }
}
