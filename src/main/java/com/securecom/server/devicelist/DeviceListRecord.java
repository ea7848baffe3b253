package com.securecom.server.devicelist;

import com.securecom.protocol.devices.SignedDeviceList;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code device_list}. */
@Entity
@Table(name = "device_list")
class DeviceListRecord {
  @Id
  @Column(name = "username")
  String username;

  @Column(name = "serial", nullable = false)
  long serial;

  @Column(name = "body", nullable = false)
  byte[] body;

  @Column(name = "signature", nullable = false)
  byte[] signature;

  @Column(name = "updated_at", nullable = false)
  long updatedAt;

  protected DeviceListRecord() {}

  DeviceListRecord(String username, SignedDeviceList list, long serial, long updatedAt) {
    this.username = username;
    this.serial = serial;
    this.body = list.body();
    this.signature = list.signature();
    this.updatedAt = updatedAt;
  }

  SignedDeviceList toList() {
    return new SignedDeviceList(body, signature);
  }
}
