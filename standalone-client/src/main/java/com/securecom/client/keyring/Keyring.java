package com.securecom.client.keyring;

import java.io.IOException;
import java.util.Optional;

/**
 * A secret store the operating system unlocks with the user's login (on Linux the Secret Service:
 * GNOME Keyring, KWallet). Entries are named by an id of the caller's; the secret is as safe as the
 * keyring: any program running as the user while it is unlocked can read it.
 */
public interface Keyring {
  /**
   * Stores {@code secret} under {@code entry}, replacing an entry of that name; {@code label} is
   * what the user sees.
   */
  void store(String entry, String label, char[] secret) throws IOException;

  /** The secret stored under {@code entry}, or empty if there is none. */
  Optional<char[]> lookup(String entry) throws IOException;

  /** Removes {@code entry} if it exists. */
  void clear(String entry) throws IOException;

  /** The keyring of this machine, if one is found: {@code secret-tool} on {@code PATH}. */
  static Optional<Keyring> system() {
    return SecretToolKeyring.find(System.getenv("PATH"));
  }
}
