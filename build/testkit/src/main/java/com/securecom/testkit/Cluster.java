package com.securecom.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Payara Micro nodes of one cluster on this machine: each in {@code <work>/node<n>}, with its own
 * HTTP and data grid ports, finding the others by TCP on loopback, under a cluster name of its own
 * (so that no other Payara on the machine joins). {@link #start} launches them all at once (each
 * takes 20 s or more, and the grid forms while they start) and returns when every node is ready and
 * sees a grid of all of them.
 */
public final class Cluster implements AutoCloseable {
  private final String name;
  private final List<PayaraMicro> nodes;

  private Cluster(String name, List<PayaraMicro> nodes) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts {@code size} nodes, each configured by {@code configure} (system properties, database,
   * server key), and waits up to {@code timeout} for each to be ready and to see them all.
   */
  public static Cluster start(
      Path work, int size, Duration timeout, Consumer<PayaraMicro.Builder> configure)
      throws Exception {
    List<Integer> ports = Ports.free(2 * size);
    List<Integer> gridPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      gridPorts.add(ports.get(2 * i + 1));
    }
    String clusterName = "securecom-cluster-it-" + UUID.randomUUID().toString().substring(0, 8);
    List<PayaraMicro> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        String name = "node" + (i + 1);
        PayaraMicro.Builder node =
            PayaraMicro.in(work.resolve(name))
                .name(name)
                .httpPort(ports.get(2 * i))
                .clusterMember(clusterName, gridPorts.get(i), gridPorts)
                .startTimeout(timeout);
        configure.accept(node);
        nodes.add(node.build());
      }
      for (PayaraMicro node : nodes) {
        node.launch();
      }
      for (PayaraMicro node : nodes) {
        node.awaitReady();
      }
      for (PayaraMicro node : nodes) {
        node.awaitGridSize(size, timeout);
      }
      return new Cluster(clusterName, nodes);
    } catch (Exception | Error e) {
      new Cluster(clusterName, nodes).close();
      throw e;
    }
  }

  /** The cluster's name ({@code --clustername}), of its own. */
  public String name() {
    return name;
  }

  /** Node {@code n}, from 1. */
  public PayaraMicro node(int n) {
    return nodes.get(n - 1);
  }

  public List<PayaraMicro> nodes() {
    return nodes;
  }

  /** Stops every node and deletes their runtimes; the logs stay. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    for (PayaraMicro node : nodes) {
      try {
        node.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
