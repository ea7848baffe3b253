package com.securecom.server.ops;

import com.securecom.server.persistence.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
  private Database database;

  protected DatabaseReadiness() {}

  @Inject
  public DatabaseReadiness(Database database) {
    this.database = database;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("database").status(database.isReachable()).build();
  }
}
