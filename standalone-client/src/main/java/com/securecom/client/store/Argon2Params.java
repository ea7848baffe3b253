package com.securecom.client.store;

/**
 * Argon2id cost: memory in KiB, iterations and lanes. They are stored in each {@code state.bin} header, so a profile
 * keeps the cost it was created with.
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
  /** The OWASP minimum, and the default for new profiles: m=19456 KiB (19 MiB), t=2, p=1. */
  public static final Argon2Params DEFAULT = new Argon2Params(19456, 2, 1);

  /**
   * The most a header may ask for (1 GiB, 32 passes, 16 lanes). The header is read before it is authenticated, so
   * without a ceiling a changed byte could make opening allocate gigabytes.
   */
  public static final Argon2Params MAX_ACCEPTED = new Argon2Params(1 << 20, 32, 16);

  public Argon2Params {
    if (parallelism < 1 || parallelism > 255 || iterations < 1 || memoryKib < 8 * parallelism) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
  }
}
