package com.securecom.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both halves of the channel reproduce every value of {@code /vectors/channel.json}. */
class ChannelVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static JsonObject vectors;
  private static List<JsonObject> frames;

  @BeforeAll
  static void load() {
    vectors = VectorFiles.load("/vectors/channel.json");
    frames = vectors.getJsonArray("frames").getValuesAs(JsonObject.class);
  }

  private static byte[] bytes(String field) {
    return HEX.parseHex(vectors.getString(field));
  }

  private static byte[] bytes(JsonObject object, String field) {
    return HEX.parseHex(object.getString(field));
  }

  private static Ed25519.KeyPair identity() {
    JsonObject identity = vectors.getJsonObject("serverIdentity");
    return new Ed25519.KeyPair(bytes(identity, "privateKey"), bytes(identity, "publicKey"));
  }

  private static X25519.KeyPair x25519(String field) {
    JsonObject pair = vectors.getJsonObject(field);
    return new X25519.KeyPair(bytes(pair, "privateKey"), bytes(pair, "publicKey"));
  }

  @Test
  void publicKeys_deriveFromThePrivateKeys() {
    assertThat(Ed25519.publicKey(identity().privateKey())).isEqualTo(identity().publicKey());
    assertThat(X25519.publicKey(x25519("clientEphemeral").privateKey()))
        .isEqualTo(x25519("clientEphemeral").publicKey());
    assertThat(X25519.publicKey(x25519("serverEphemeral").privateKey()))
        .isEqualTo(x25519("serverEphemeral").publicKey());
  }

  @Test
  void version_isTheImplementedVersion() {
    assertThat(vectors.getInt("version")).isEqualTo(Handshake.VERSION);
  }

  @Test
  void handshakeValues_matchTheLayout() throws Exception {
    byte[] clientEph = x25519("clientEphemeral").publicKey();
    byte[] serverEph = x25519("serverEphemeral").publicKey();

    assertThat(Handshake.clientHello(clientEph)).isEqualTo(bytes("clientHello"));
    assertThat(Handshake.transcript(clientEph, serverEph, identity().publicKey()))
        .isEqualTo(bytes("transcript"));
    assertThat(Ed25519.sign(identity().privateKey(), bytes("transcript")))
        .isEqualTo(bytes("signature"));
    assertThat(Handshake.serverHello(serverEph, bytes("signature")))
        .isEqualTo(bytes("serverHello"));
    assertThat(X25519.agree(x25519("clientEphemeral").privateKey(), serverEph))
        .isEqualTo(bytes("sharedSecret"));
    assertThat(X25519.agree(x25519("serverEphemeral").privateKey(), clientEph))
        .isEqualTo(bytes("sharedSecret"));
  }

  @Test
  void keyDerivation_matchesTheVectors() {
    ChannelKeys keys = ChannelKeys.derive(bytes("sharedSecret"), bytes("transcript"));

    assertThat(HEX.formatHex(keys.clientToServer()))
        .isEqualTo(vectors.getString("clientToServerKey"));
    assertThat(HEX.formatHex(keys.serverToClient()))
        .isEqualTo(vectors.getString("serverToClientKey"));
    assertThat(new String(Direction.CLIENT_TO_SERVER.keyInfo(), StandardCharsets.US_ASCII))
        .isEqualTo(vectors.getString("clientToServerInfo"));
    assertThat(new String(Direction.SERVER_TO_CLIENT.keyInfo(), StandardCharsets.US_ASCII))
        .isEqualTo(vectors.getString("serverToClientInfo"));
  }

  @Test
  void nonceAndAssociatedData_matchTheVectors() {
    assertThat(frames).hasSize(6);
    for (JsonObject frame : frames) {
      Direction direction = direction(frame);
      long counter = frame.getJsonNumber("counter").longValueExact();

      assertThat(frame.getInt("directionByte")).isEqualTo(direction.wireByte());
      assertThat(FrameSealer.nonce(direction, counter)).isEqualTo(bytes(frame, "nonce"));
      assertThat(FrameSealer.associatedData(direction, counter))
          .isEqualTo(bytes(frame, "associatedData"));
    }
  }

  @Test
  void frames_coverCountersZeroToTwoInBothDirections() {
    assertThat(
            frames.stream()
                .filter(f -> direction(f) == Direction.CLIENT_TO_SERVER)
                .map(f -> f.getInt("counter")))
        .containsExactly(0, 1, 2);
    assertThat(
            frames.stream()
                .filter(f -> direction(f) == Direction.SERVER_TO_CLIENT)
                .map(f -> f.getInt("counter")))
        .containsExactly(0, 1, 2);
  }

  @Test
  void clientHalf_reproducesHelloAndFrames() throws Exception {
    ClientHandshake handshake =
        new ClientHandshake(identity().publicKey(), x25519("clientEphemeral"));
    assertThat(handshake.hello()).isEqualTo(bytes("clientHello"));

    SecureChannel channel = handshake.finish(bytes("serverHello"));
    for (JsonObject frame : frames) {
      byte[] plaintext = plaintext(frame);
      if (direction(frame) == Direction.CLIENT_TO_SERVER) {
        assertThat(HEX.formatHex(channel.seal(plaintext)))
            .as("frame %s", frame)
            .isEqualTo(frame.getString("frame"));
      } else {
        assertThat(channel.open(bytes(frame, "frame"))).as("frame %s", frame).isEqualTo(plaintext);
      }
    }
  }

  @Test
  void serverHalf_reproducesHelloAndFrames() throws Exception {
    ServerHandshake.Result result =
        new ServerHandshake(identity(), new SecureRandom())
            .respond(bytes("clientHello"), x25519("serverEphemeral"));
    assertThat(HEX.formatHex(result.serverHello())).isEqualTo(vectors.getString("serverHello"));

    SecureChannel channel = result.channel();
    for (JsonObject frame : frames) {
      byte[] plaintext = plaintext(frame);
      if (direction(frame) == Direction.SERVER_TO_CLIENT) {
        assertThat(HEX.formatHex(channel.seal(plaintext)))
            .as("frame %s", frame)
            .isEqualTo(frame.getString("frame"));
      } else {
        assertThat(channel.open(bytes(frame, "frame"))).as("frame %s", frame).isEqualTo(plaintext);
      }
    }
  }

  @Test
  void frameBytes_areCounterThenCiphertextAndTag() {
    for (JsonObject frame : frames) {
      byte[] bytes = bytes(frame, "frame");
      assertThat(bytes).hasSize(8 + plaintext(frame).length + 16);
      assertThat(HEX.formatHex(bytes, 0, 8))
          .isEqualTo(String.format("%016x", frame.getInt("counter")));
    }
  }

  private static byte[] plaintext(JsonObject frame) {
    return frame.getString("plaintext").getBytes(StandardCharsets.UTF_8);
  }

  private static Direction direction(JsonObject frame) {
    return switch (frame.getString("direction")) {
      case "clientToServer" -> Direction.CLIENT_TO_SERVER;
      case "serverToClient" -> Direction.SERVER_TO_CLIENT;
      default -> throw new AssertionError("unknown direction " + frame.getString("direction"));
    };
  }
}
