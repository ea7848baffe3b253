package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Hkdf;

/**
 * The two AES-256-GCM keys of one channel, derived from the ephemeral X25519 secret with
 * HKDF-SHA256: salt is SHA-256 of the handshake transcript (which binds the version, both ephemeral
 * keys and the server's identity key), info names the direction.
 */
public record ChannelKeys(byte[] clientToServer, byte[] serverToClient) {

  public static ChannelKeys derive(byte[] sharedSecret, byte[] transcript) {
    byte[] salt = Bytes.sha256(transcript);
    return new ChannelKeys(
        Hkdf.sha256(sharedSecret, salt, Direction.CLIENT_TO_SERVER.keyInfo(), 32),
        Hkdf.sha256(sharedSecret, salt, Direction.SERVER_TO_CLIENT.keyInfo(), 32));
  }

  @Override
  public String toString() {
    return "ChannelKeys[REDACTED]";
  }
}
