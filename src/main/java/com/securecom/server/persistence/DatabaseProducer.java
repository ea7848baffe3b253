package com.securecom.server.persistence;

import com.securecom.server.config.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens the one {@link Database} of the application from MicroProfile Config ({@code
 * securecom.db.*}); without {@code securecom.db.url}, an H2 file in the {@link DataDirectory},
 * which is made private to the server's user before H2 creates its file and again after.
 */
@ApplicationScoped
public class DatabaseProducer {
  private static final Logger LOG = Logger.getLogger(DatabaseProducer.class.getName());

  @Produces
  @Singleton
  Database open(
      DataDirectory dataDirectory,
      @ConfigProperty(name = "securecom.db.url") Optional<String> url,
      @ConfigProperty(name = "securecom.db.user", defaultValue = "sa") String user,
      @ConfigProperty(name = "securecom.db.password") Optional<String> password,
      @ConfigProperty(name = "securecom.db.max-connections", defaultValue = "16")
          int maxConnections) {
    DatabaseSettings settings =
        new DatabaseSettings(
            url.orElseGet(() -> DatabaseSettings.h2FileUrl(dataDirectory.path())),
            user,
            password.orElse(""),
            maxConnections);
    if (url.isEmpty()) {
      dataDirectory.secure();
      DataDirectory.createPrivateFile(dataDirectory.resolve(DatabaseSettings.H2_NAME + ".mv.db"));
    }
    LOG.info(() -> "Data directory " + dataDirectory.path() + "; opening " + settings);
    Database database = new Database(settings);
    if (url.isEmpty()) {
      dataDirectory.secure();
    }
    return database;
  }

  /**
   * Closes the database, then deregisters the JDBC drivers this application's class loader
   * registered (H2's and PostgreSQL's register themselves when first loaded), so that stopping the
   * application leaves no driver behind in the JVM-wide {@link DriverManager}, and Payara has none
   * to unregister forcibly with a warning.
   */
  void close(@Disposes Database database) {
    database.close();
    deregisterDrivers(DatabaseProducer.class.getClassLoader());
  }

  static int deregisterDrivers(ClassLoader loader) {
    int deregistered = 0;
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == loader) {
        try {
          DriverManager.deregisterDriver(driver);
          deregistered++;
        } catch (SQLException | SecurityException e) {
          LOG.warning(() -> "Cannot deregister " + driver.getClass().getName() + ": " + e);
        }
      }
    }
    return deregistered;
  }
}
