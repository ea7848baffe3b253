package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.vectors.ChannelVectorsGenerator;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Both ends of one channel, opened by a real handshake. */
record ChannelPair(SecureChannel client, SecureChannel server) {
  static final byte[] IDENTITY_SEED =
      HexFormat.of().parseHex(ChannelVectorsGenerator.SERVER_IDENTITY_SEED);
  static final Ed25519.KeyPair IDENTITY =
      new Ed25519.KeyPair(IDENTITY_SEED, Ed25519.publicKey(IDENTITY_SEED));
  static final X25519.KeyPair CLIENT_EPHEMERAL =
      x25519(ChannelVectorsGenerator.CLIENT_EPHEMERAL_PRIVATE);
  static final X25519.KeyPair SERVER_EPHEMERAL =
      x25519(ChannelVectorsGenerator.SERVER_EPHEMERAL_PRIVATE);

  /**
   * The channel of channel.json: the same keys every time, so the same plaintexts seal to the same
   * frames.
   */
  static ChannelPair fixed() {
    return open(CLIENT_EPHEMERAL, SERVER_EPHEMERAL);
  }

  /** A channel with fresh ephemeral keys. */
  static ChannelPair fresh() {
    SecureRandom random = new SecureRandom();
    return open(X25519.generate(random), X25519.generate(random));
  }

  private static ChannelPair open(X25519.KeyPair clientEphemeral, X25519.KeyPair serverEphemeral) {
    try {
      ClientHandshake client = new ClientHandshake(IDENTITY.publicKey(), clientEphemeral);
      ServerHandshake.Result server =
          new ServerHandshake(IDENTITY, new SecureRandom())
              .respond(client.hello(), serverEphemeral);
      return new ChannelPair(client.finish(server.serverHello()), server.channel());
    } catch (ChannelException e) {
      throw new AssertionError("handshake failed", e);
    }
  }

  static X25519.KeyPair x25519(String privateHex) {
    byte[] privateKey = HexFormat.of().parseHex(privateHex);
    return new X25519.KeyPair(privateKey, X25519.publicKey(privateKey));
  }
}
