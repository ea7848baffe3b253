package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The message payload codec and safety numbers. */
class PayloadAndSafetyNumberTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void payload_roundTrips() {
    MessagePayload p = new MessagePayload("0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01", "caf\u00e9 \"\\\n\u0000\uD83D\uDE00",
        Instant.parse("2025-01-01T12:00:00.123456789Z"));
    assertThat(MessagePayload.decode(p.encode())).contains(p);
    assertThat(new String(new MessagePayload("a", "b", Instant.EPOCH).encode(), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"a\",\"body\":\"b\",\"sentAt\":\"1970-01-01T00:00:00Z\"}");
  }

  @Test
  void payload_refusesIdsTheRelayWouldRefuse() {
    for (String id : new String[] {"", "a b", "\u00e9", "x".repeat(65), null}) {
      assertThatThrownBy(() -> new MessagePayload(id, "b", Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void payloadDecoder_neverThrowsOnGarbage() {
    Random r = new Random(3);
    byte[] good = new MessagePayload("id", "body", Instant.EPOCH).encode();
    for (int i = 0; i < 5000; i++) {
      byte[] input = good.clone();
      input[r.nextInt(input.length)] = (byte) r.nextInt();
      MessagePayload.decode(input); // empty or a payload, but no exception
    }
    assertThat(MessagePayload.decode("[".repeat(100_000).getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void safetyNumber_isSymmetricSixtyDigitsInTwelveGroups() {
    byte[] a = Ed25519.generate(random).publicKey();
    byte[] b = Ed25519.generate(random).publicKey();
    SafetyNumber ab = SafetyNumber.of("alice", a, "bob", b);
    SafetyNumber ba = SafetyNumber.of("bob", b, "alice", a);

    assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
    assertThat(ab.digits()).hasSize(60).matches("[0-9]{60}");
    assertThat(ab.display()).matches("[0-9]{5}( [0-9]{5}){11}");
    assertThat(ab.toString()).isEqualTo(ab.display());
  }

  @Test
  void safetyNumber_changesWithEitherKeyOrName() {
    byte[] a = Ed25519.generate(random).publicKey();
    byte[] b = Ed25519.generate(random).publicKey();
    SafetyNumber n = SafetyNumber.of("alice", a, "bob", b);
    assertThat(SafetyNumber.of("alice", Ed25519.generate(random).publicKey(), "bob", b)).isNotEqualTo(n);
    assertThat(SafetyNumber.of("alice", a, "bob", Ed25519.generate(random).publicKey())).isNotEqualTo(n);
    assertThat(SafetyNumber.of("alicf", a, "bob", b)).isNotEqualTo(n);
  }
}
