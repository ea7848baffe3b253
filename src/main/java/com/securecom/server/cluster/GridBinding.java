package com.securecom.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.util.logging.Logger;

/**
 * Checks how the data grid binds its port. Payara Micro's {@code --interfaces} chooses the address
 * the grid announces, but Hazelcast still listens on every address unless {@code
 * hazelcast.socket.bind.any} is false (a JVM system property, read when the grid starts, before
 * this application). A node whose grid listens on every address while the operator limited it to
 * some is told so at start-up, with the option that fixes it.
 */
final class GridBinding {
  private static final Logger LOG = Logger.getLogger(GridBinding.class.getName());
  static final String BIND_ANY = "hazelcast.socket.bind.any";
  static final String SERVER_BIND_ANY = "hazelcast.socket.server.bind.any";

  private GridBinding() {}

  static void warnIfListeningEverywhere(HazelcastInstance grid) {
    try {
      Config config = grid.getConfig();
      if (config.getNetworkConfig().getInterfaces().isEnabled() && listensEverywhere(config)) {
        LOG.warning(
            "The data grid listens on every address although its interfaces are limited ("
                + config.getNetworkConfig().getInterfaces().getInterfaces()
                + "): start every node with -D"
                + BIND_ANY
                + "=false (README, cluster). The grid has no authentication: keep its port off untrusted networks.");
      }
    } catch (RuntimeException | LinkageError unknown) {
      // another grid implementation: nothing to check
    }
  }

  /**
   * Hazelcast's rule: the server socket binds to any address unless the server (or general)
   * property says false.
   */
  static boolean listensEverywhere(Config config) {
    String server = property(config, SERVER_BIND_ANY);
    String general = property(config, BIND_ANY);
    return !"false".equalsIgnoreCase(server != null ? server : general != null ? general : "true");
  }

  private static String property(Config config, String name) {
    String value = config.getProperty(name);
    return value != null ? value : System.getProperty(name);
  }
}
