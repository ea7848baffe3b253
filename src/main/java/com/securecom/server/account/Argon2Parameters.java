package com.securecom.server.account;

/**
 * Argon2id cost: memory in KiB, iterations and lanes. The OWASP minimum, and our default, is
 * m=19456 (19 MiB), t=2, p=1. They are stored with each hash, so raising them later rehashes each
 * password at its next login.
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {
  public static final Argon2Parameters OWASP_MINIMUM = new Argon2Parameters(19456, 2, 1);

  public Argon2Parameters {
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
  }
}
