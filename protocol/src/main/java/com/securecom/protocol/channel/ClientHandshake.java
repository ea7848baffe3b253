package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The client's half of the handshake. The client must know the server's Ed25519 identity key in
 * advance (pinned on first use, or published by the operator); a ServerHello not signed by it is
 * refused, so nobody in the middle can read the channel or the bearer token that is its first
 * frame.
 */
public final class ClientHandshake {
  private final byte[] pinnedServerKey;
  private final X25519.KeyPair ephemeral;

  public ClientHandshake(byte[] pinnedServerKey, SecureRandom random) {
    this(pinnedServerKey, X25519.generate(random));
  }

  /** Deterministic form for test vectors: the ephemeral key is given. */
  public ClientHandshake(byte[] pinnedServerKey, X25519.KeyPair ephemeral) {
    this.pinnedServerKey = pinnedServerKey.clone();
    this.ephemeral = ephemeral;
  }

  /** The first binary frame the client sends. */
  public byte[] hello() {
    return Handshake.clientHello(ephemeral.publicKey());
  }

  /**
   * Checks the server's answer and opens the channel.
   *
   * @throws ChannelException 1008 if the signature is not the pinned server key's, 1007 if the
   *     answer is malformed
   */
  public SecureChannel finish(byte[] serverHello) throws ChannelException {
    if (serverHello.length != Handshake.SERVER_HELLO_BYTES || serverHello[0] != Handshake.VERSION) {
      throw new ChannelException(CloseCodes.MALFORMED, "malformed handshake");
    }
    byte[] serverEphemeral = Arrays.copyOfRange(serverHello, 1, 1 + X25519.KEY_BYTES);
    byte[] signature =
        Arrays.copyOfRange(serverHello, 1 + X25519.KEY_BYTES, Handshake.SERVER_HELLO_BYTES);
    byte[] transcript =
        Handshake.transcript(ephemeral.publicKey(), serverEphemeral, pinnedServerKey);
    if (!Ed25519.verify(pinnedServerKey, transcript, signature)) {
      throw new ChannelException(CloseCodes.POLICY, "server key does not match the pinned key");
    }
    byte[] shared;
    try {
      shared = X25519.agree(ephemeral.privateKey(), serverEphemeral);
    } catch (DecryptionFailedException e) {
      throw new ChannelException(CloseCodes.MALFORMED, "malformed handshake");
    }
    ChannelKeys keys = ChannelKeys.derive(shared, transcript);
    Arrays.fill(shared, (byte) 0);
    return new SecureChannel(
        keys.clientToServer(),
        Direction.CLIENT_TO_SERVER,
        keys.serverToClient(),
        Direction.SERVER_TO_CLIENT);
  }
}
