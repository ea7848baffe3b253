package com.securecom.server.session;

import java.security.Principal;

/**
 * The user a request or connection was authenticated as, with the hash of the token used and its
 * expiry.
 */
public record AuthenticatedUser(String username, byte[] tokenHash, long expiresAt)
    implements Principal {
  @Override
  public String getName() {
    return username;
  }

  @Override
  public String toString() {
    return "AuthenticatedUser[" + username + "]";
  }
}
