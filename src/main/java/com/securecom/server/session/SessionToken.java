package com.securecom.server.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A login session, stored by the SHA-256 hash of its bearer token: the token itself is never
 * stored.
 */
@Entity
@Table(name = "session_token")
public class SessionToken {
  @Id
  @Column(name = "token_hash")
  private byte[] tokenHash;

  @Column(name = "username", nullable = false)
  private String username;

  @Column(name = "created_at", nullable = false)
  private long createdAt;

  @Column(name = "expires_at", nullable = false)
  private long expiresAt;

  protected SessionToken() {}

  public SessionToken(byte[] tokenHash, String username, long createdAt, long expiresAt) {
    this.tokenHash = tokenHash.clone();
    this.username = username;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  public String username() {
    return username;
  }

  public long expiresAt() {
    return expiresAt;
  }
}
