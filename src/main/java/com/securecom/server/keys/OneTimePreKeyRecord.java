package com.securecom.server.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

@Entity
@Table(name = "one_time_prekey")
@IdClass(OneTimePreKeyRecord.Key.class)
class OneTimePreKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Id
  @Column(name = "key_id")
  long keyId;

  @Column(name = "public_key", nullable = false)
  byte[] publicKey;

  protected OneTimePreKeyRecord() {}

  OneTimePreKeyRecord(String username, OneTimePreKey key) {
    this.username = username;
    this.keyId = key.keyId();
    this.publicKey = key.publicKey().clone();
  }

  OneTimePreKey toKey() {
    return new OneTimePreKey(keyId, publicKey.clone());
  }

  /** Primary key: a key id is unique per user. */
  public record Key(String username, long keyId) implements Serializable {
    public Key() {
      this(null, 0);
    }
  }
}
