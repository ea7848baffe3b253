package com.securecom.server.session;

import com.securecom.server.device.DeviceAddress;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A login session of one device, stored by the SHA-256 hash of its bearer token: the token itself
 * is never stored.
 */
@Entity
@Table(name = "session_token")
public class SessionToken {
  @Id
  @Column(name = "token_hash")
  private byte[] tokenHash;

  @Column(name = "username", nullable = false)
  private String username;

  @Column(name = "device_id", nullable = false)
  private int deviceId;

  @Column(name = "created_at", nullable = false)
  private long createdAt;

  @Column(name = "expires_at", nullable = false)
  private long expiresAt;

  protected SessionToken() {}

  public SessionToken(byte[] tokenHash, DeviceAddress device, long createdAt, long expiresAt) {
    this.tokenHash = tokenHash.clone();
    this.username = device.username();
    this.deviceId = device.deviceId();
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  /** The device the token belongs to. */
  public DeviceAddress device() {
    return new DeviceAddress(username, deviceId);
  }

  public long expiresAt() {
    return expiresAt;
  }
}
