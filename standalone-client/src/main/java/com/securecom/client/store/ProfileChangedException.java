package com.securecom.client.store;

import java.io.IOException;

/**
 * A profile opened {@linkplain ProfileStore#openForReading for reading} kept changing while it was
 * read (the process that holds it was compacting or re-encrypting it): nothing is wrong, the
 * command can simply be run again.
 */
public final class ProfileChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProfileChangedException() {
    super("the profile changed while it was read (it is in use); try again");
  }
}
