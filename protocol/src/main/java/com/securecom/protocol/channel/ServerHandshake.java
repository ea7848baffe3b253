package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.util.Arrays;

/** The server's half of the handshake: answers a ClientHello and opens the channel. */
public final class ServerHandshake {
  private final Ed25519.KeyPair identity;
  private final SecureRandom random;

  public ServerHandshake(Ed25519.KeyPair identity, SecureRandom random) {
    this.identity = identity;
    this.random = random;
  }

  /** The ServerHello to send and the channel it opens. */
  public record Result(byte[] serverHello, SecureChannel channel) {}

  /**
   * Answers one ClientHello with a fresh ephemeral key.
   *
   * @throws ChannelException 1007 for a malformed hello or a small-order key, 1008 for an
   *     unsupported version
   */
  public Result respond(byte[] clientHello) throws ChannelException {
    return respond(clientHello, X25519.generate(random));
  }

  /**
   * Deterministic form for test vectors: the ephemeral key is given. Same checks and close codes.
   */
  public Result respond(byte[] clientHello, X25519.KeyPair ephemeral) throws ChannelException {
    if (clientHello.length != Handshake.CLIENT_HELLO_BYTES) {
      throw new ChannelException(CloseCodes.MALFORMED, "malformed handshake");
    }
    if (clientHello[0] != Handshake.VERSION) {
      throw new ChannelException(CloseCodes.POLICY, "unsupported protocol version");
    }
    byte[] clientEphemeral = Arrays.copyOfRange(clientHello, 1, Handshake.CLIENT_HELLO_BYTES);
    byte[] shared;
    try {
      shared = X25519.agree(ephemeral.privateKey(), clientEphemeral);
    } catch (DecryptionFailedException e) {
      throw new ChannelException(CloseCodes.MALFORMED, "malformed handshake");
    }
    byte[] transcript =
        Handshake.transcript(clientEphemeral, ephemeral.publicKey(), identity.publicKey());
    byte[] signature = Ed25519.sign(identity.privateKey(), transcript);
    ChannelKeys keys = ChannelKeys.derive(shared, transcript);
    Arrays.fill(shared, (byte) 0);
    return new Result(
        Handshake.serverHello(ephemeral.publicKey(), signature),
        new SecureChannel(
            keys.serverToClient(),
            Direction.SERVER_TO_CLIENT,
            keys.clientToServer(),
            Direction.CLIENT_TO_SERVER));
  }
}
