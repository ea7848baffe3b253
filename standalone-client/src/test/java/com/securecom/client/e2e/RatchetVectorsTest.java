package com.securecom.client.e2e;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The implementation reproduces the conversation of {@code /vectors/ratchet.json}, byte for byte.
 */
class RatchetVectorsTest {
  private static final JsonObject FILE = VectorFiles.load("/vectors/ratchet.json");

  static Stream<Arguments> messages() {
    return FILE.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
        .map(m -> Arguments.of(m.getInt("index"), m));
  }

  private static List<X25519.KeyPair> keys(String name) {
    List<X25519.KeyPair> keys = new ArrayList<>();
    for (JsonObject k : FILE.getJsonArray(name).getValuesAs(JsonObject.class)) {
      keys.add(X3dhVectorsTest.x(k));
    }
    return keys;
  }

  @Test
  void conversation_isReproducedByTheSessions() throws Exception {
    JsonObject x3dh = X3dhVectorsTest.FILE.getJsonArray("cases").getJsonObject(0);
    assertThat(x3dh.getString("name")).isEqualTo("withOneTimePreKey");
    assertThat(FILE.getString("sharedSecret")).isEqualTo(x3dh.getString("sharedSecret"));
    Session alice =
        Session.initiate(
            X3dhVectorsTest.alice(),
            "alice",
            X3dhVectorsGenerator.bundleFrom(x3dh.getJsonObject("bundle")),
            new FixedKeys(keys("aliceKeys")));
    FixedKeys bobKeys = new FixedKeys(keys("bobKeys"));
    InMemoryPreKeyStore bobPreKeys = X3dhVectorsTest.bobPreKeys();
    Session bob = null;
    List<JsonObject> messages = FILE.getJsonArray("messages").getValuesAs(JsonObject.class);

    for (JsonObject event : FILE.getJsonArray("events").getValuesAs(JsonObject.class)) {
      JsonObject m = messages.get(event.getInt("message"));
      byte[] plaintext = m.getString("plaintext").getBytes(StandardCharsets.UTF_8);
      boolean byAlice = event.getString("party").equals("alice");
      if (event.getString("action").equals("send")) {
        assertThat(hex(Padding.pad(plaintext)))
            .as("padded %d", m.getInt("index"))
            .isEqualTo(m.getString("padded"));
        byte[] envelope =
            (byAlice ? alice : bob).encrypt(MessagePayload.decode(plaintext).orElseThrow());
        assertThat(hex(envelope))
            .as("envelope %d", m.getInt("index"))
            .isEqualTo(m.getString("envelope"));
      } else {
        byte[] envelope = unhex(m.getString("envelope"));
        MessagePayload payload;
        if (byAlice) {
          payload = alice.decrypt(envelope, m.getString("relayId"));
        } else if (bob == null) {
          Session.Accepted accepted =
              Session.accept(
                  X3dhVectorsTest.bob(),
                  "bob",
                  X3dhVectorsTest.alice().publicIdentity("alice"),
                  envelope,
                  bobPreKeys,
                  bobKeys,
                  Session.payloadCheck(m.getString("relayId")));
          bob = accepted.session();
          payload = Session.payload(accepted.plaintext());
        } else {
          payload = bob.decrypt(envelope, m.getString("relayId"));
        }
        assertThat(payload.encode()).as("plaintext %d", m.getInt("index")).isEqualTo(plaintext);
        assertThat(payload.id()).isEqualTo(m.getString("relayId"));
        Session receiver = byAlice ? alice : bob;
        if (event.containsKey("ratchetStep")) {
          JsonObject step = event.getJsonObject("ratchetStep");
          assertThat(hex(receiver.state().sendingRatchet.publicKey()))
              .isEqualTo(step.getString("newRatchetKey"));
        }
      }
    }
    assertThat(bobPreKeys.oneTime).isEmpty();
    assertThat(bobKeys.remaining()).isZero();
    assertThat(alice.state().skippedKeyCount()).isZero();
    assertThat(bob.state().skippedKeyCount()).isZero();
  }

  @ParameterizedTest(name = "message {0}")
  @MethodSource("messages")
  void messageKeys_followFromTheChainKey(int index, JsonObject m) {
    Kdf.ChainStep step = Kdf.chain(unhex(m.getString("chainKey")));
    assertThat(hex(step.messageKey())).isEqualTo(m.getString("messageKey"));
    Kdf.MessageKeys keys = Kdf.message(step.messageKey());
    assertThat(hex(keys.aesKey())).isEqualTo(m.getString("aesKey"));
    assertThat(hex(keys.nonce())).isEqualTo(m.getString("nonce"));
    MessageHeader header =
        new MessageHeader(
            unhex(m.getString("ratchetKey")),
            m.getJsonNumber("previousCounter").longValueExact(),
            m.getJsonNumber("counter").longValueExact());
    assertThat(hex(header.toBytes())).isEqualTo(m.getString("header"));
    byte direction = (byte) (m.getString("sender").equals("alice") ? 0x01 : 0x02);
    assertThat(m.getString("associatedData"))
        .isEqualTo(
            FILE.getString("associatedData") + hex(new byte[] {direction}) + m.getString("header"));
    assertThat(m.getString("envelope"))
        .isEqualTo(
            (m.getString("type").equals("preKey")
                    ? "0201" + FILE.getString("preKeyHeader")
                    : "0202")
                + m.getString("header")
                + m.getString("ciphertext"));
  }

  @Test
  void ratchetSteps_followFromTheRootKeys() {
    JsonObject init = FILE.getJsonObject("initiatorInit");
    Kdf.RootStep first =
        Kdf.root(unhex(FILE.getString("sharedSecret")), unhex(init.getString("dh")));
    assertThat(hex(first.rootKey())).isEqualTo(init.getString("rootKey"));
    assertThat(hex(first.chainKey())).isEqualTo(init.getString("sendingChainKey"));
    int steps = 0;
    for (JsonObject event : FILE.getJsonArray("events").getValuesAs(JsonObject.class)) {
      if (event.containsKey("ratchetStep")) {
        JsonObject s = event.getJsonObject("ratchetStep");
        Kdf.RootStep sending =
            Kdf.root(unhex(s.getString("intermediateRootKey")), unhex(s.getString("sendingDh")));
        assertThat(hex(sending.rootKey())).isEqualTo(s.getString("rootKey"));
        assertThat(hex(sending.chainKey())).isEqualTo(s.getString("sendingChainKey"));
        steps++;
      }
    }
    assertThat(steps).isEqualTo(5);
  }
}
