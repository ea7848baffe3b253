package com.securecom.server.device;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A row of {@code device}. */
@Entity
@Table(name = "device")
@IdClass(DeviceRecord.Key.class)
class DeviceRecord {
  @Id
  @Column(name = "username")
  String username;

  @Id
  @Column(name = "device_id")
  int deviceId;

  @Column(name = "created_at", nullable = false)
  long createdAt;

  @Column(name = "last_seen_at")
  Long lastSeenAt;

  @Column(name = "name")
  String name;

  protected DeviceRecord() {}

  DeviceRecord(DeviceAddress device, long createdAt, String name) {
    this.username = device.username();
    this.deviceId = device.deviceId();
    this.createdAt = createdAt;
    this.name = name;
  }

  /** Primary key: a device id is unique per account. */
  public record Key(String username, int deviceId) implements Serializable {
    public Key() {
      this(null, 0);
    }
  }
}
