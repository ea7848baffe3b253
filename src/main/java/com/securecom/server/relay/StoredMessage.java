package com.securecom.server.relay;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.device.DeviceAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A relayed message as the queue holds it: one copy, from one device ({@code sender}, {@code
 * senderDevice}) to one device ({@code recipient}, {@code recipientDevice}). The sender comes from
 * the authenticated session, never from the client; {@code envelope} is opaque end-to-end
 * ciphertext. {@code seq} orders a recipient device's queue (0 before it is stored). {@code
 * envelopeText}, if not null, is the envelope as the sender's {@code send} carried it (canonical
 * base64, so exactly what encoding {@code envelope} gives): a message relayed from memory is not
 * encoded a second time. Not stored.
 */
public record StoredMessage(
    long seq,
    String sender,
    int senderDevice,
    String id,
    String recipient,
    int recipientDevice,
    byte[] envelope,
    long sentAt,
    long expiresAt,
    String envelopeText) {

  /** A copy from device {@code from} to device {@code to}, as a {@code send} carried it. */
  public StoredMessage(
      DeviceAddress from,
      String id,
      DeviceAddress to,
      byte[] envelope,
      long sentAt,
      long expiresAt,
      String envelopeText) {
    this(
        0,
        from.username(),
        from.deviceId(),
        id,
        to.username(),
        to.deviceId(),
        envelope,
        sentAt,
        expiresAt,
        envelopeText);
  }

  /**
   * A message from device 1 to device 1 read back (or handed over) without the sender's text of its
   * envelope.
   */
  public StoredMessage(
      long seq,
      String sender,
      String id,
      String recipient,
      byte[] envelope,
      long sentAt,
      long expiresAt) {
    this(seq, sender, 1, id, recipient, 1, envelope, sentAt, expiresAt, null);
  }

  /** A message from device 1 to device 1, with the sender's text of its envelope. */
  public StoredMessage(
      long seq,
      String sender,
      String id,
      String recipient,
      byte[] envelope,
      long sentAt,
      long expiresAt,
      String envelopeText) {
    this(seq, sender, 1, id, recipient, 1, envelope, sentAt, expiresAt, envelopeText);
  }

  /** The sending device. */
  public DeviceAddress from() {
    return new DeviceAddress(sender, senderDevice);
  }

  /** The device whose queue holds this copy. */
  public DeviceAddress to() {
    return new DeviceAddress(recipient, recipientDevice);
  }

  /**
   * {@code deliver.sentAt}: exactly {@code YYYY-MM-DDTHH:MM:SS.sssZ} (docs/protocol.md,
   * "Messages").
   */
  private static final DateTimeFormatter SENT_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The {@code deliver} that hands this message to its recipient, as versions 1 to 3 write it. */
  public WireMessage.Deliver deliver() {
    return deliver(false);
  }

  /**
   * The {@code deliver} that hands this message to its recipient; {@code withDevice} (relay message
   * version 4) names the sending device.
   */
  public WireMessage.Deliver deliver(boolean withDevice) {
    String text = envelopeText != null ? envelopeText : Bytes.base64(envelope);
    return new WireMessage.Deliver(id, sender, withDevice ? senderDevice : 0, text, sentAt(sentAt));
  }

  /**
   * {@code millis} as {@link #SENT_AT} writes it, digit by digit for the years 0000-9999 (the
   * formatter's zoned date-time and fraction cost more than the rest of a {@code deliver}'s
   * encoding), by the formatter for any other year.
   */
  static String sentAt(long millis) {
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(millis, MILLIS_PER_DAY));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return SENT_AT.format(Instant.ofEpochMilli(millis));
    }
    int ofDay = (int) Math.floorMod(millis, MILLIS_PER_DAY);
    char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(text, 0, 4, date.getYear());
    digits(text, 5, 2, date.getMonthValue());
    digits(text, 8, 2, date.getDayOfMonth());
    digits(text, 11, 2, ofDay / 3_600_000);
    digits(text, 14, 2, ofDay / 60_000 % 60);
    digits(text, 17, 2, ofDay / 1000 % 60);
    digits(text, 20, 3, ofDay % 1000);
    return new String(text);
  }

  private static final long MILLIS_PER_DAY = 86_400_000L;

  private static void digits(char[] text, int at, int count, int value) {
    for (int i = at + count - 1; i >= at; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * The key that identifies a message in its recipient device's queue: ids are unique per sending
   * device.
   */
  public String key() {
    return key(sender, senderDevice, id);
  }

  /** {@link #key()} of a message from ({@code sender}, {@code senderDevice}) with {@code id}. */
  public static String key(String sender, int senderDevice, String id) {
    return sender + '\u0000' + senderDevice + '\u0000' + id;
  }

  @Override
  public String toString() {
    return "StoredMessage["
        + sender
        + "."
        + senderDevice
        + "/"
        + id
        + " -> "
        + recipient
        + "."
        + recipientDevice
        + ", "
        + envelope.length
        + " bytes]";
  }
}
