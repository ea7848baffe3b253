package com.securecom.server.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens the one {@link Database} of the application from MicroProfile Config ({@code
 * securecom.db.*}).
 */
@ApplicationScoped
public class DatabaseProducer {
  private static final Logger LOG = Logger.getLogger(DatabaseProducer.class.getName());

  @Produces
  @Singleton
  Database open(
      @ConfigProperty(name = "securecom.db.url", defaultValue = DatabaseSettings.DEFAULT_URL)
          String url,
      @ConfigProperty(name = "securecom.db.user", defaultValue = "sa") String user,
      @ConfigProperty(name = "securecom.db.password") Optional<String> password,
      @ConfigProperty(name = "securecom.db.max-connections", defaultValue = "16")
          int maxConnections) {
    DatabaseSettings settings =
        new DatabaseSettings(url, user, password.orElse(""), maxConnections);
    LOG.info(() -> "Opening " + settings);
    return new Database(settings);
  }

  void close(@Disposes Database database) {
    database.close();
  }
}
