package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.Bytes;

/** The two directions of a channel; each has its own key, counter and label. */
public enum Direction {
  CLIENT_TO_SERVER((byte) 0x01, "SecureCom channel v1 client->server"),
  SERVER_TO_CLIENT((byte) 0x02, "SecureCom channel v1 server->client");

  private final byte wireByte;
  private final byte[] keyInfo;

  Direction(byte wireByte, String keyInfo) {
    this.wireByte = wireByte;
    this.keyInfo = Bytes.ascii(keyInfo);
  }

  /** The byte that stands for this direction in nonces and associated data. */
  public byte wireByte() {
    return wireByte;
  }

  /** The HKDF info that derives this direction's key. */
  byte[] keyInfo() {
    return keyInfo.clone();
  }
}
