package com.securecom.it.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;

/**
 * Someone who can reach the data grid's port but holds neither the database nor the server key: a
 * plain Hazelcast client of the cluster, as anyone on the grid's network could start. Tests use it
 * to publish forged handovers and to meddle with the presence map, i.e. to play the attacker (or
 * the lost handover) that the product must survive.
 */
final class GridIntruder implements AutoCloseable {
  private static final String PRESENCE = "securecom-presence";
  private static final String NODE_TOPIC = "securecom-node-";

  private final HazelcastInstance client;

  private GridIntruder(HazelcastInstance client) {
    this.client = client;
  }

  /**
   * Connects to the grid member listening on 127.0.0.1:{@code gridPort} of the cluster {@code
   * clusterName}.
   */
  static GridIntruder join(String clusterName, int gridPort) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.setInstanceName("intruder-" + UUID.randomUUID());
    config.getNetworkConfig().addAddress("127.0.0.1:" + gridPort).setSmartRouting(false);
    config
        .getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(30_000);
    config.setProperty("hazelcast.logging.type", "jdk");
    return new GridIntruder(HazelcastClient.newHazelcastClient(config));
  }

  /** The member id (topic suffix) of the node whose grid port is {@code gridPort}. */
  String memberAt(int gridPort) {
    return client.getCluster().getMembers().stream()
        .filter(m -> m.getAddress().getPort() == gridPort)
        .map(Member::getUuid)
        .map(UUID::toString)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no grid member on port "
                        + gridPort
                        + ": "
                        + client.getCluster().getMembers()));
  }

  /** Publishes {@code bytes} on the handover topic of member {@code member}. */
  void publishTo(String member, byte[] bytes) {
    client.<byte[]>getTopic(NODE_TOPIC + member).publish(bytes);
  }

  /**
   * Which member the grid says holds the socket of {@code username}'s device 1 (null: none). The
   * presence map is keyed by device, {@code username/deviceId}.
   */
  String presenceOf(String username) {
    return client.<String, String>getMap(PRESENCE).get(username + "/1");
  }

  /**
   * Erases the presence entry of {@code username}'s device 1: handovers for that user then go
   * nowhere (as if lost).
   */
  void erasePresence(String username) {
    client.<String, String>getMap(PRESENCE).remove(username + "/1");
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
