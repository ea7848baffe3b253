package com.securecom.server.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;

/** Produces the {@link Clock} (UTC) and the {@link SecureRandom} the services share. */
@ApplicationScoped
public class Platform {
  private final SecureRandom random = new SecureRandom();

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  SecureRandom random() {
    return random;
  }
}
