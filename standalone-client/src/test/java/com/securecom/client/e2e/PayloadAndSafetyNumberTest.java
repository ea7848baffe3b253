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
    MessagePayload p =
        MessagePayload.text(
            "0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01",
            "caf\u00e9 \"\\\n\u0000\uD83D\uDE00",
            Instant.parse("2025-01-01T12:00:00.123Z"));
    assertThat(MessagePayload.decode(p.encode())).contains(p);
    assertThat(
            new String(
                MessagePayload.text("a", "b", Instant.EPOCH).encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"a\",\"type\":\"text\",\"sentAt\":\"1970-01-01T00:00:00.000Z\",\"body\":\"b\"}");
    MessagePayload receipt =
        new MessagePayload.Receipt(
            "r1", Instant.EPOCH, MessagePayload.Kind.READ, java.util.List.of("a", "b"));
    assertThat(MessagePayload.decode(receipt.encode())).contains(receipt);
    assertThat(new String(receipt.encode(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"r1\",\"type\":\"receipt\","
                + "\"sentAt\":\"1970-01-01T00:00:00.000Z\",\"receipt\":\"read\",\"of\":[\"a\",\"b\"]}");
  }

  @Test
  void sentAt_isWrittenToTheMillisecond_andReadInEveryDocumentedForm() {
    Instant nanos = Instant.parse("2025-01-01T12:00:00.123456789Z");
    assertThat(MessagePayload.formatInstant(nanos)).isEqualTo("2025-01-01T12:00:00.123Z");
    assertThat(MessagePayload.parseInstant("2025-01-01T12:00:00Z"))
        .contains(Instant.parse("2025-01-01T12:00:00Z"));
    assertThat(MessagePayload.parseInstant("2025-01-01T12:00:00.123456789Z")).contains(nanos);
    for (String refused :
        new String[] {
          "2025-01-01T12:00Z",
          "2025-01-01T12:00:00+01:00",
          "2025-01-01t12:00:00z",
          "2025-02-30T12:00:00Z",
          "2025-01-01T24:00:00Z",
          "2025-01-01T12:00:60Z",
          "2025-01-01T12:00:00.Z",
          "2025-01-01T12:00:00.1234567890Z",
          "+2025-01-01T12:00:00Z",
          " 2025-01-01T12:00:00Z"
        }) {
      assertThat(MessagePayload.parseInstant(refused)).as(refused).isEmpty();
    }
  }

  @Test
  void textsAndReceipts_outsideTheirRanges_areRefused() {
    assertThatThrownBy(() -> MessagePayload.text("a", "", Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessagePayload.text("a", "\u00e9".repeat(30_001), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MessagePayload.text("a", "x".repeat(60_000), Instant.EPOCH).body()).hasSize(60_000);
    for (java.util.List<String> of :
        java.util.List.of(
            java.util.List.<String>of(),
            java.util.List.of("a", "a"),
            java.util.List.of("a b"),
            java.util.Collections.nCopies(101, "x"))) {
      assertThatThrownBy(
              () ->
                  new MessagePayload.Receipt("r", Instant.EPOCH, MessagePayload.Kind.DELIVERED, of))
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String json :
        new String[] {
          "{\"id\":\"a\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00Z\"}",
          "{\"id\":\"a\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"\"}",
          "{\"id\":\"a\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":7}",
          "{\"id\":\"a\",\"type\":\"poll\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"x\"}",
          "{\"id\":\"a\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"x\"}",
          "{\"id\":\"a\",\"type\":\"receipt\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"receipt\":\"seen\",\"of\":[\"b\"]}",
          "{\"id\":\"a\",\"type\":\"receipt\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"receipt\":\"read\",\"of\":[]}",
          "{\"id\":\"a\",\"type\":\"receipt\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"receipt\":\"read\",\"of\":[1]}",
          "{\"id\":\"a\",\"type\":\"receipt\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"receipt\":\"read\",\"of\":\"b\"}"
        }) {
      assertThat(MessagePayload.decode(json.getBytes(StandardCharsets.UTF_8))).as(json).isEmpty();
    }
  }

  @Test
  void payload_refusesIdsTheRelayWouldRefuse() {
    for (String id : new String[] {"", "a b", "\u00e9", "x".repeat(65), null}) {
      assertThatThrownBy(() -> MessagePayload.text(id, "b", Instant.EPOCH))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void payloadDecoder_neverThrowsOnGarbage() {
    Random r = new Random(3);
    byte[] good = MessagePayload.text("id", "body", Instant.EPOCH).encode();
    for (int i = 0; i < 5000; i++) {
      byte[] input = good.clone();
      input[r.nextInt(input.length)] = (byte) r.nextInt();
      MessagePayload.decode(input); // empty or a payload, but no exception
    }
    assertThat(MessagePayload.decode("[".repeat(100_000).getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
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
    assertThat(SafetyNumber.of("alice", Ed25519.generate(random).publicKey(), "bob", b))
        .isNotEqualTo(n);
    assertThat(SafetyNumber.of("alice", a, "bob", Ed25519.generate(random).publicKey()))
        .isNotEqualTo(n);
    assertThat(SafetyNumber.of("alicf", a, "bob", b)).isNotEqualTo(n);
  }
}
