package com.securecom.server.session;

/** A new session's token (shown to the client once) and expiry in epoch milliseconds. */
public record LoginResult(String token, long expiresAt) {
  @Override
  public String toString() {
    return "LoginResult[token=[REDACTED], expiresAt=" + expiresAt + "]";
  }
}
