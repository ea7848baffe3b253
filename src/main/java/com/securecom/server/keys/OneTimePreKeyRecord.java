package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One key of a device's one-time prekey pool. */
@Entity
@Table(name = "device_one_time_prekey")
@IdClass(OneTimePreKeyRecord.Key.class)
class OneTimePreKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Id
  @Column(name = "device_id")
  int deviceId;

  @Id
  @Column(name = "key_id")
  long keyId;

  @Column(name = "public_key", nullable = false)
  byte[] publicKey;

  protected OneTimePreKeyRecord() {}

  OneTimePreKeyRecord(DeviceAddress device, OneTimePreKey key) {
    this.username = device.username();
    this.deviceId = device.deviceId();
    this.keyId = key.keyId();
    this.publicKey = key.publicKey().clone();
  }

  OneTimePreKey toKey() {
    return new OneTimePreKey(keyId, publicKey.clone());
  }

  /** Primary key: a key id is unique in its device's pool. */
  public record Key(String username, int deviceId, long keyId) implements Serializable {
    public Key() {
      this(null, 0, 0);
    }

    static Key of(DeviceAddress device, long keyId) {
      return new Key(device.username(), device.deviceId(), keyId);
    }
  }
}
