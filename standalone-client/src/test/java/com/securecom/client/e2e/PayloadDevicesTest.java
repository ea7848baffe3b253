package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.DecryptionFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The payload's device members (docs/protocol.md, "Payload"): {@code fromDevice} and {@code
 * toDevice} are written only when not 1, read strictly, and checked inside the decryption
 * transaction, so the server can present a message neither as another device's nor to another
 * device.
 */
class PayloadDevicesTest {
  private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");
  private static final String ID = "0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01";

  private final Pair p;

  PayloadDevicesTest() throws Exception {
    p = new Pair();
  }

  private static String json(MessagePayload payload) {
    return new String(payload.encode(), StandardCharsets.UTF_8);
  }

  private static boolean decodes(String json) {
    return MessagePayload.decode(json.getBytes(StandardCharsets.UTF_8)).isPresent();
  }

  @Test
  void betweenFirstDevices_thePayloadIsByteForByteAVersion3ClientsOne() {
    assertThat(json(new MessagePayload.Text(ID, AT, "Hi Bob").routed(1, 1)))
        .isEqualTo(
            "{\"id\":\""
                + ID
                + "\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00.000Z\",\"body\":\"Hi Bob\"}");
  }

  @Test
  void otherDevices_areWrittenAfterTheTypesMembers_andReadBack() {
    MessagePayload text = new MessagePayload.Text(ID, AT, "Hi Bob").routed(2, 3);
    assertThat(json(text))
        .isEqualTo(
            "{\"id\":\""
                + ID
                + "\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00.000Z\",\"body\":\"Hi Bob\",\"fromDevice\":2,\"toDevice\":3}");
    assertThat(MessagePayload.decode(text.encode())).contains(text);
    MessagePayload receipt =
        new MessagePayload.Receipt(ID, AT, MessagePayload.Kind.READ, List.of("a")).routed(1, 9);
    assertThat(json(receipt)).endsWith("\"of\":[\"a\"],\"toDevice\":9}");
    assertThat(MessagePayload.decode(receipt.encode())).contains(receipt);
  }

  @Test
  void aDeviceMemberInAnyOtherForm_isRefused() {
    String head =
        "{\"id\":\"a\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"x\"";
    assertThat(decodes(head + ",\"fromDevice\":2}")).isTrue();
    assertThat(decodes(head + ",\"toDevice\":999999999}")).isTrue();
    for (String bad :
        List.of(
            "1", // 1 is written by leaving the member out
            "0",
            "-2",
            "02",
            "2.0",
            "2e0",
            "\"2\"",
            "null",
            "true",
            "1000000000",
            "99999999999999999999")) {
      assertThat(decodes(head + ",\"fromDevice\":" + bad + "}")).as("fromDevice " + bad).isFalse();
      assertThat(decodes(head + ",\"toDevice\":" + bad + "}")).as("toDevice " + bad).isFalse();
    }
  }

  @Test
  void aPayloadForAnotherDevice_orFromAnotherDevice_failsToDecrypt_andChangesNothing()
      throws Exception {
    MessagePayload payload = new MessagePayload.Text(ID, AT, "for device 3").routed(2, 3);
    byte[] envelope = p.alice.encrypt(payload);
    byte[] before = p.bob.toBytes();

    assertThatThrownBy(() -> p.bob.decrypt(envelope, Session.payloadCheck(ID, 2, 4, null)))
        .as("delivered to device 4")
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> p.bob.decrypt(envelope, Session.payloadCheck(ID, 1, 3, null)))
        .as("presented as device 1's")
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> p.bob.decrypt(envelope, ID))
        .as("as between first devices")
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(p.bob.toBytes()).as("the session did not move").isEqualTo(before);

    byte[] plaintext = p.bob.decrypt(envelope, Session.payloadCheck(ID, 2, 3, null));
    assertThat(Session.payload(plaintext)).isEqualTo(payload);
  }

  @Test
  void aSentTranscript_isWrittenWithItsRecipient_andReadBack() {
    MessagePayload.Sent sent =
        MessagePayload.Sent.of(new MessagePayload.Text(ID, AT, "Hi Bob"), "bob").routed(2, 1);
    assertThat(json(sent))
        .isEqualTo(
            "{\"id\":\""
                + ID
                + "\",\"type\":\"sent\",\"sentAt\":\"2025-01-01T12:00:00.000Z\",\"to\":\"bob\",\"body\":\"Hi Bob\",\"fromDevice\":2}");
    assertThat(MessagePayload.decode(sent.encode())).contains(sent);
    String head = "{\"id\":\"a\",\"type\":\"sent\",\"sentAt\":\"2025-01-01T12:00:00Z\"";
    assertThat(decodes(head + ",\"body\":\"x\"}")).as("no to").isFalse();
    assertThat(decodes(head + ",\"to\":\"Bob\",\"body\":\"x\"}")).as("not a username").isFalse();
    assertThat(decodes(head + ",\"to\":7,\"body\":\"x\"}")).as("to a number").isFalse();
    assertThat(decodes(head + ",\"to\":\"bob\",\"body\":\"\"}")).as("empty body").isFalse();
    assertThat(decodes(head + ",\"to\":\"bob\"}")).as("no body").isFalse();
  }

  @Test
  void aTranscript_decryptsOnlyFromTheOwnAccount_andATextOnlyFromSomeoneElse() throws Exception {
    byte[] transcript =
        p.alice.encrypt(
            MessagePayload.Sent.of(new MessagePayload.Text(ID, AT, "to carol"), "carol")
                .routed(2, 3));
    byte[] before = p.bob.toBytes();
    assertThatThrownBy(() -> p.bob.decrypt(transcript, Session.payloadCheck(ID, 2, 3, null)))
        .as("a transcript from another account")
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> p.bob.decrypt(transcript, Session.payloadCheck(ID, 2, 3, "carol")))
        .as("a transcript of a message to oneself")
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(p.bob.toBytes()).as("the session did not move").isEqualTo(before);
    assertThat(Session.payload(p.bob.decrypt(transcript, Session.payloadCheck(ID, 2, 3, "alice"))))
        .isInstanceOf(MessagePayload.Sent.class);

    byte[] text = p.alice.encrypt(new MessagePayload.Text(ID + "x", AT, "hi").routed(2, 3));
    assertThatThrownBy(() -> p.bob.decrypt(text, Session.payloadCheck(ID + "x", 2, 3, "alice")))
        .as("a text from the own account")
        .isInstanceOf(DecryptionFailedException.class);
  }
}
