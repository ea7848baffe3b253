package com.securecom.server.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registered user: a username and an Argon2id password hash. Its keys live in the key registry.
 */
@Entity
@Table(name = "account")
public class Account {
  @Id
  @Column(name = "username")
  private String username;

  @Column(name = "password_hash", nullable = false)
  private String passwordHash;

  @Column(name = "created_at", nullable = false)
  private long createdAt;

  protected Account() {}

  public Account(String username, String passwordHash, long createdAt) {
    this.username = username;
    this.passwordHash = passwordHash;
    this.createdAt = createdAt;
  }

  public String username() {
    return username;
  }

  public String passwordHash() {
    return passwordHash;
  }

  void rehashPassword(String newHash) {
    this.passwordHash = newHash;
  }
}
