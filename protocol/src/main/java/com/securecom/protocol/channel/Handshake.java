package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;

/**
 * The wire layout of the channel handshake, shared by both halves.
 *
 * <pre>
 * ClientHello = version(1) || client ephemeral X25519 public key(32)                      33 bytes
 * ServerHello = version(1) || server ephemeral X25519 public key(32) || signature(64)     97 bytes
 * transcript  = "SecureCom channel v1" || version || client eph || server eph || server Ed25519 key
 * signature   = Ed25519(server identity key, transcript)
 * </pre>
 */
public final class Handshake {
  public static final byte VERSION = 0x01;
  public static final int CLIENT_HELLO_BYTES = 1 + X25519.KEY_BYTES;
  public static final int SERVER_HELLO_BYTES = 1 + X25519.KEY_BYTES + Ed25519.SIGNATURE_BYTES;
  private static final byte[] LABEL = Bytes.ascii("SecureCom channel v1");

  private Handshake() {}

  static byte[] transcript(
      byte[] clientEphemeral, byte[] serverEphemeral, byte[] serverIdentityKey) {
    return Bytes.concat(
        LABEL, new byte[] {VERSION}, clientEphemeral, serverEphemeral, serverIdentityKey);
  }

  static byte[] clientHello(byte[] clientEphemeral) {
    return Bytes.concat(new byte[] {VERSION}, clientEphemeral);
  }

  static byte[] serverHello(byte[] serverEphemeral, byte[] signature) {
    return Bytes.concat(new byte[] {VERSION}, serverEphemeral, signature);
  }
}
