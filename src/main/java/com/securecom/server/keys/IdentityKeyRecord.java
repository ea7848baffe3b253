package com.securecom.server.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "identity_key")
class IdentityKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Column(name = "public_key", nullable = false)
  byte[] publicKey;

  protected IdentityKeyRecord() {}

  IdentityKeyRecord(String username, byte[] publicKey) {
    this.username = username;
    this.publicKey = publicKey.clone();
  }
}
