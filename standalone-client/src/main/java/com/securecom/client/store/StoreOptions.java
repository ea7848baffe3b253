package com.securecom.client.store;

import java.security.SecureRandom;

/** What tests may replace: the crash hook, the Argon2id ceiling for headers, the randomness source. */
record StoreOptions(CrashPoint crashPoint, Argon2Params maxAccepted, SecureRandom random) {
  static final StoreOptions DEFAULTS = new StoreOptions(CrashPoint.NONE, Argon2Params.MAX_ACCEPTED, new SecureRandom());

  StoreOptions withCrashPoint(CrashPoint hook) {
    return new StoreOptions(hook, maxAccepted, random);
  }

  StoreOptions withMaxAccepted(Argon2Params ceiling) {
    return new StoreOptions(crashPoint, ceiling, random);
  }
}
