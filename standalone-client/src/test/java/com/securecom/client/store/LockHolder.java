package com.securecom.client.store;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ProfileLockTest}: opens a profile, says "open", holds it until stdin
 * closes.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    // At the test's cheap cost: production options would raise the profile to the default cost
    // while it is held.
    try (OpenProfile profile =
        ProfileStore.open(Path.of(args[0]), args[1].toCharArray(), TestProfiles.CHEAP_CEILING)) {
      System.out.println(profile.state() == null ? "no state" : "open");
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the parent to close our stdin
      }
    }
  }
}
