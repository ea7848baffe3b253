package com.securecom.client.store;

/**
 * Argon2id cost: memory in KiB, iterations and lanes. They are stored in each {@code state.bin}
 * header, so a profile can be opened whatever cost it was made with; a profile below {@link
 * #DEFAULT} is re-encrypted at {@link #DEFAULT} the next time it is opened.
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
  /**
   * The cost of new profiles: RFC 9106's second recommended option, m=65536 KiB (64 MiB), t=3, p=4.
   *
   * <p>A profile file can be copied and attacked offline, at the attacker's pace; this cost is what
   * each guess costs them. Measured with Bouncy Castle on the 2-core build machine: an unlock takes
   * 0.43 s in a fresh JVM (as each command runs), 0.14 s warm, where the previous default below
   * took 0.26 s and 0.03 s: about five times the attacker's work per guess (memory times passes).
   * 256 MiB was not chosen: an unlock then took 0.65 s to 0.9 s, and it does not fit the default
   * heap of a JVM on a 1 GiB machine (256 MiB), where the profile could not be opened.
   */
  public static final Argon2Params DEFAULT = new Argon2Params(65536, 3, 4);

  /**
   * The OWASP minimum the server uses for account passwords (m=19456 KiB, 19 MiB, t=2, p=1), and
   * the cost of profiles made before {@link #DEFAULT} was raised; opening one raises it.
   */
  public static final Argon2Params OWASP_MINIMUM = new Argon2Params(19456, 2, 1);

  /**
   * The most a header may ask for (1 GiB, 32 passes, 16 lanes). The header is read before it is
   * authenticated, so without a ceiling a changed byte could make opening allocate gigabytes.
   */
  public static final Argon2Params MAX_ACCEPTED = new Argon2Params(1 << 20, 32, 16);

  public Argon2Params {
    if (parallelism < 1 || parallelism > 255 || iterations < 1 || memoryKib < 8 * parallelism) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
  }

  /**
   * True if a guess at this cost is cheaper than at {@code target}: less memory, or less memory
   * times passes. Lanes do not count: they change how the work can be spread, not how much there
   * is.
   */
  public boolean isWeakerThan(Argon2Params target) {
    return memoryKib < target.memoryKib
        || (long) memoryKib * iterations < (long) target.memoryKib * target.iterations;
  }

  /** True if any of the three exceeds {@code ceiling}'s. */
  public boolean exceeds(Argon2Params ceiling) {
    return memoryKib > ceiling.memoryKib
        || iterations > ceiling.iterations
        || parallelism > ceiling.parallelism;
  }
}
