package com.securecom.client.store;

import java.security.SecureRandom;

/**
 * What tests may replace: the crash hook, the Argon2id cost profiles are raised to when opened
 * ({@code targetCost}), the ceiling for headers, the randomness source. Production uses {@link
 * #DEFAULTS}: {@link Argon2Params#DEFAULT} and {@link Argon2Params#MAX_ACCEPTED}.
 */
record StoreOptions(
    CrashPoint crashPoint, Argon2Params targetCost, Argon2Params maxAccepted, SecureRandom random) {
  static final StoreOptions DEFAULTS =
      new StoreOptions(
          CrashPoint.NONE, Argon2Params.DEFAULT, Argon2Params.MAX_ACCEPTED, new SecureRandom());

  /**
   * @throws IllegalArgumentException if profiles would be raised to a cost the ceiling then refuses
   *     to open
   */
  StoreOptions {
    if (targetCost.exceeds(maxAccepted)) {
      throw new IllegalArgumentException("the target cost exceeds the ceiling");
    }
  }

  StoreOptions withCrashPoint(CrashPoint hook) {
    return new StoreOptions(hook, targetCost, maxAccepted, random);
  }

  /** Raises opened profiles to {@code target} and refuses headers above {@code ceiling}. */
  StoreOptions withArgon2(Argon2Params target, Argon2Params ceiling) {
    return new StoreOptions(crashPoint, target, ceiling, random);
  }
}
