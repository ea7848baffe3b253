package com.securecom.client.store;

import java.io.IOException;

/** Another open profile (in this or another process) holds the profile's {@code lock} file. */
public final class ProfileLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProfileLockedException() {
    super("profile is in use by another securecom process");
  }
}
