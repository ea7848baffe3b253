package com.securecom.server.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the {@link PasswordHasher} from {@code securecom.password.*}. */
@ApplicationScoped
public class PasswordHasherProducer {
  @Produces
  @Singleton
  PasswordHasher hasher(
      @ConfigProperty(name = "securecom.password.argon2.memory-kib", defaultValue = "19456")
          int memoryKib,
      @ConfigProperty(name = "securecom.password.argon2.iterations", defaultValue = "2")
          int iterations,
      @ConfigProperty(name = "securecom.password.argon2.parallelism", defaultValue = "1")
          int parallelism,
      @ConfigProperty(name = "securecom.password.max-concurrent-hashes", defaultValue = "2")
          int maxConcurrent,
      SecureRandom random) {
    return new PasswordHasher(
        new Argon2Parameters(memoryKib, iterations, parallelism), maxConcurrent, random);
  }
}
