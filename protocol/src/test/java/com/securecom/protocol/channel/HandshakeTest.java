package com.securecom.protocol.channel;

import static com.securecom.protocol.channel.ChannelAssertions.assertClosesWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HandshakeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Ed25519.KeyPair IDENTITY = ChannelPair.IDENTITY;
  private static final byte[] PLAINTEXT = Bytes.ascii("{\"type\":\"auth\",\"token\":\"t\"}");

  private static ServerHandshake server() {
    return new ServerHandshake(IDENTITY, RANDOM);
  }

  private static ClientHandshake client() {
    return new ClientHandshake(IDENTITY.publicKey(), ChannelPair.CLIENT_EPHEMERAL);
  }

  /** A valid ServerHello for {@link #client()}. */
  private static byte[] serverHello() throws ChannelException {
    return server().respond(client().hello(), ChannelPair.SERVER_EPHEMERAL).serverHello();
  }

  @Test
  void handshakeWithFreshKeys_opensMatchingChannels() throws Exception {
    ClientHandshake client = new ClientHandshake(IDENTITY.publicKey(), RANDOM);
    byte[] clientHello = client.hello();
    ServerHandshake.Result server = server().respond(clientHello);
    SecureChannel clientChannel = client.finish(server.serverHello());

    assertThat(clientHello).hasSize(Handshake.CLIENT_HELLO_BYTES).startsWith(Handshake.VERSION);
    assertThat(server.serverHello())
        .hasSize(Handshake.SERVER_HELLO_BYTES)
        .startsWith(Handshake.VERSION);
    assertThat(server.channel().open(clientChannel.seal(PLAINTEXT))).isEqualTo(PLAINTEXT);
    assertThat(clientChannel.open(server.channel().seal(PLAINTEXT))).isEqualTo(PLAINTEXT);
  }

  @Test
  void respond_usesAFreshEphemeralKeyEachTime() throws Exception {
    byte[] hello = client().hello();

    byte[] first = server().respond(hello).serverHello();
    byte[] second = server().respond(hello).serverHello();

    assertThat(Arrays.copyOfRange(first, 1, 33)).isNotEqualTo(Arrays.copyOfRange(second, 1, 33));
  }

  @Test
  void serverHelloSignedByAnotherKey_closesWith1008() throws Exception {
    ServerHandshake impostor = new ServerHandshake(Ed25519.generate(RANDOM), RANDOM);
    byte[] forged = impostor.respond(client().hello(), ChannelPair.SERVER_EPHEMERAL).serverHello();

    assertClosesWith(CloseCodes.POLICY, () -> client().finish(forged))
        .hasMessage("server key does not match the pinned key");
  }

  @Test
  void serverHelloOfAnotherHandshake_closesWith1008() throws Exception {
    ClientHandshake earlier = new ClientHandshake(IDENTITY.publicKey(), RANDOM);
    byte[] replayed = server().respond(earlier.hello()).serverHello();

    assertClosesWith(CloseCodes.POLICY, () -> client().finish(replayed));
  }

  @Test
  void pinnedKeyOfWrongLength_closesWith1008() throws Exception {
    byte[] serverHello = serverHello();
    ClientHandshake client =
        new ClientHandshake(Arrays.copyOf(IDENTITY.publicKey(), 31), ChannelPair.CLIENT_EPHEMERAL);

    assertClosesWith(CloseCodes.POLICY, () -> client.finish(serverHello));
  }

  /**
   * The version byte is checked as part of the layout (1007); every other bit breaks the signature
   * (1008).
   */
  @Test
  void everyFlippedBitOfServerHello_isRefused() throws Exception {
    byte[] serverHello = serverHello();

    for (int bit = 0; bit < serverHello.length * 8; bit++) {
      byte[] tampered = Bits.flip(serverHello, bit);
      int expected = bit < 8 ? CloseCodes.MALFORMED : CloseCodes.POLICY;
      assertClosesWith(expected, String.format("bit %d", bit), () -> client().finish(tampered));
    }
  }

  @Test
  void serverHelloOfWrongLength_closesWith1007() throws Exception {
    byte[] serverHello = serverHello();

    for (int length = 0; length <= 2 * Handshake.SERVER_HELLO_BYTES; length++) {
      if (length == Handshake.SERVER_HELLO_BYTES) {
        continue;
      }
      byte[] wrong = Arrays.copyOf(serverHello, length);
      assertClosesWith(
              CloseCodes.MALFORMED,
              String.format("length %d", length),
              () -> client().finish(wrong))
          .hasMessage("malformed handshake");
    }
  }

  /**
   * The client refuses a ServerHello of another version as malformed (1007), while the server
   * refuses a ClientHello of another version as a policy violation (1008). See the note in
   * docs/protocol.md.
   */
  @Test
  void serverHelloOfAnotherVersion_closesWith1007() throws Exception {
    byte[] serverHello = serverHello();

    for (int version = 0; version < 256; version++) {
      if (version == Handshake.VERSION) {
        continue;
      }
      byte[] other = serverHello.clone();
      other[0] = (byte) version;
      assertClosesWith(
          CloseCodes.MALFORMED, String.format("version %d", version), () -> client().finish(other));
    }
  }

  @Test
  void clientHelloOfWrongLength_closesWith1007() {
    byte[] hello = client().hello();

    for (int length = 0; length <= 3 * Handshake.CLIENT_HELLO_BYTES; length++) {
      if (length == Handshake.CLIENT_HELLO_BYTES) {
        continue;
      }
      byte[] wrong = Arrays.copyOf(hello, length);
      assertClosesWith(
              CloseCodes.MALFORMED,
              String.format("length %d", length),
              () -> server().respond(wrong))
          .hasMessage("malformed handshake");
      assertClosesWith(
          CloseCodes.MALFORMED,
          String.format("deterministic form, length %d", length),
          () -> server().respond(wrong, ChannelPair.SERVER_EPHEMERAL));
    }
  }

  @Test
  void clientHelloOfAnotherVersion_closesWith1008() {
    for (int version = 0; version < 256; version++) {
      if (version == Handshake.VERSION) {
        continue;
      }
      byte[] hello = client().hello();
      hello[0] = (byte) version;
      assertClosesWith(
              CloseCodes.POLICY,
              String.format("version %d", version),
              () -> server().respond(hello))
          .hasMessage("unsupported protocol version");
      assertClosesWith(
          CloseCodes.POLICY,
          String.format("deterministic form, version %d", version),
          () -> server().respond(hello, ChannelPair.SERVER_EPHEMERAL));
    }
  }

  @Test
  void clientHelloOfWrongLengthAndVersion_closesWith1007() {
    assertClosesWith(CloseCodes.MALFORMED, () -> server().respond(new byte[] {0x02, 1, 2, 3}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.securecom.protocol.crypto.LowOrderPoints#arguments")
  void smallOrderClientEphemeral_closesWith1007(String name, byte[] point) {
    byte[] hello = Handshake.clientHello(point);

    assertClosesWith(CloseCodes.MALFORMED, () -> server().respond(hello))
        .hasMessage("malformed handshake");
    assertClosesWith(
        CloseCodes.MALFORMED, () -> server().respond(hello, ChannelPair.SERVER_EPHEMERAL));
  }

  /**
   * Even a ServerHello properly signed by the pinned key is refused if its ephemeral key is of
   * small order.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("com.securecom.protocol.crypto.LowOrderPoints#arguments")
  void smallOrderServerEphemeral_closesWith1007(String name, byte[] point) {
    ClientHandshake client = client();
    byte[] transcript =
        Handshake.transcript(ChannelPair.CLIENT_EPHEMERAL.publicKey(), point, IDENTITY.publicKey());
    byte[] serverHello =
        Handshake.serverHello(point, Ed25519.sign(IDENTITY.privateKey(), transcript));

    assertClosesWith(CloseCodes.MALFORMED, () -> client.finish(serverHello))
        .hasMessage("malformed handshake");
  }

  @Test
  void transcript_bindsLabelVersionBothEphemeralsAndIdentity() {
    byte[] c = new byte[32];
    byte[] s = new byte[32];
    byte[] id = new byte[32];
    Arrays.fill(c, (byte) 0xc1);
    Arrays.fill(s, (byte) 0x5e);
    Arrays.fill(id, (byte) 0x1d);

    assertThat(Handshake.transcript(c, s, id))
        .isEqualTo(Bytes.concat(Bytes.ascii("SecureCom channel v1"), new byte[] {1}, c, s, id))
        .hasSize(20 + 1 + 96);
  }

  @Test
  void twoHandshakes_deriveUnrelatedKeys() {
    ChannelPair first = ChannelPair.fresh();
    ChannelPair second = ChannelPair.fresh();
    byte[] frame = first.client().seal(PLAINTEXT);

    assertClosesWith(CloseCodes.MALFORMED, () -> second.server().open(frame));
  }
}
