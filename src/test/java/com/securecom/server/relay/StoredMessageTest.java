package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code deliver} a message goes out as, from memory or from the store. */
class StoredMessageTest {
  private static final long SENT_AT = Instant.parse("2026-01-02T03:04:05.006Z").toEpochMilli();
  private static final byte[] ENVELOPE = {1, 2, 3, 4};

  @Test
  void aStoredMessage_isDeliveredWithItsEnvelopeEncodedAndItsTimeToTheMillisecond() {
    StoredMessage m = new StoredMessage(7, "alice", "m1", "bob", ENVELOPE, SENT_AT, 0);
    assertThat(m.deliver())
        .isEqualTo(new WireMessage.Deliver("m1", "alice", "AQIDBA==", "2026-01-02T03:04:05.006Z"));
  }

  @Test
  void aMessageFromMemory_isDeliveredWithTheSendersTextOfItsEnvelope() {
    String text = Bytes.base64(ENVELOPE);
    StoredMessage m = new StoredMessage(0, "alice", "m1", "bob", ENVELOPE, SENT_AT, 0, text);
    assertThat(m.deliver().envelope()).isSameAs(text);
    assertThat(m.deliver())
        .isEqualTo(new StoredMessage(7, "alice", "m1", "bob", ENVELOPE, SENT_AT, 0).deliver());
  }

  @Test
  void aTimeAtTheEpochOrWithZeroMilliseconds_keepsEveryDigit() {
    assertThat(new StoredMessage(0, "a", "m", "b", ENVELOPE, 0, 0).deliver().sentAt())
        .isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void sentAt_isWrittenAsTheDocumentedFormatterWritesIt_forAnyTime() {
    DateTimeFormatter documented =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    Random random = new Random(3);
    long[] edges = {
      0,
      -1,
      1,
      999,
      1000,
      86_399_999L,
      86_400_000L,
      -86_400_000L,
      Long.MIN_VALUE / 1000,
      Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(),
      Instant.parse("+10000-01-01T00:00:00.000Z").toEpochMilli(),
      Instant.parse("0000-01-01T00:00:00.000Z").toEpochMilli(),
      Instant.parse("-0001-12-31T23:59:59.999Z").toEpochMilli(),
      Instant.parse("2024-02-29T12:00:00.000Z").toEpochMilli()
    };
    for (long millis : edges) {
      assertThat(StoredMessage.sentAt(millis))
          .as("%d", millis)
          .isEqualTo(documented.format(Instant.ofEpochMilli(millis)));
    }
    for (int i = 0; i < 100_000; i++) {
      long millis =
          i % 2 == 0
              ? random.nextLong() % 400_000_000_000_000L
              : System.currentTimeMillis() + random.nextInt();
      assertThat(StoredMessage.sentAt(millis))
          .as("%d", millis)
          .isEqualTo(documented.format(Instant.ofEpochMilli(millis)));
    }
  }
}
