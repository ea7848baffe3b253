package com.securecom.server.ops;

import com.securecom.server.channel.ServerIdentity;
import com.securecom.server.cluster.GridNodes;
import com.securecom.server.persistence.Database;
import com.securecom.server.relay.RelayMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * At deployment: migrates the database, loads (or creates) the server key, registers the metrics
 * and joins the data grid's presence and handovers (so that this node listens before its first user
 * connects), so failures show at once.
 */
@ApplicationScoped
public class Startup {
  private Database database;
  private ServerIdentity identity;
  private RelayMetrics metrics;
  private GridNodes grid;

  protected Startup() {}

  @Inject
  public Startup(Database database, ServerIdentity identity, RelayMetrics metrics, GridNodes grid) {
    this.database = database;
    this.identity = identity;
    this.metrics = metrics;
    this.grid = grid;
  }

  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    database.isReachable();
    identity.publicKey();
    metrics.ensureRegistered();
    grid.clustered();
  }
}
