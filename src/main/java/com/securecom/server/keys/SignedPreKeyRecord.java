package com.securecom.server.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "signed_prekey")
class SignedPreKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Column(name = "key_id", nullable = false)
  long keyId;

  @Column(name = "public_key", nullable = false)
  byte[] publicKey;

  @Column(name = "signature", nullable = false)
  byte[] signature;

  /**
   * Seconds since the epoch, signed with the key; null for a key uploaded before protocol v2 (never
   * valid now).
   */
  @Column(name = "created_at")
  Long createdAt;

  @Column(name = "updated_at", nullable = false)
  long updatedAt;

  protected SignedPreKeyRecord() {}

  SignedPreKeyRecord(String username, SignedPreKey key, long updatedAt) {
    this.username = username;
    replace(key, updatedAt);
  }

  void replace(SignedPreKey key, long now) {
    this.keyId = key.keyId();
    this.publicKey = key.publicKey().clone();
    this.signature = key.signature().clone();
    this.createdAt = key.createdAt();
    this.updatedAt = now;
  }

  SignedPreKey toKey() {
    return new SignedPreKey(
        keyId, publicKey.clone(), createdAt == null ? 0 : createdAt, signature.clone());
  }
}
