package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A device's current signed prekey. */
@Entity
@Table(name = "device_signed_prekey")
@IdClass(SignedPreKeyRecord.Key.class)
class SignedPreKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Id
  @Column(name = "device_id")
  int deviceId;

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

  SignedPreKeyRecord(DeviceAddress device, SignedPreKey key, long updatedAt) {
    this.username = device.username();
    this.deviceId = device.deviceId();
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

  /** Primary key: one signed prekey per device. */
  public record Key(String username, int deviceId) implements Serializable {
    public Key() {
      this(null, 0);
    }

    static Key of(DeviceAddress device) {
      return new Key(device.username(), device.deviceId());
    }
  }
}
