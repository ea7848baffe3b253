package com.securecom.server.relay.store;

import com.securecom.server.relay.StoredMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * The row of one copy of a message, from "accepted" until its sending device saw the receipt, as
 * JPA reads it (rows are written by {@link JpaMessageRepository#writeAll} through JDBC).
 */
@Entity
@Table(name = "relay_message")
@IdClass(QueuedMessage.Key.class)
class QueuedMessage {
  @Id
  @Column(name = "sender")
  String sender;

  @Id
  @Column(name = "sender_device")
  int senderDevice;

  @Id
  @Column(name = "message_id")
  String messageId;

  /** Assigned by the database (identity column); orders each recipient's queue. */
  @Column(name = "seq", insertable = false, updatable = false)
  Long seq;

  @Id
  @Column(name = "recipient")
  String recipient;

  @Id
  @Column(name = "recipient_device")
  int recipientDevice;

  @Column(name = "envelope")
  byte[] envelope;

  @Column(name = "sent_at", nullable = false)
  long sentAt;

  @Column(name = "delivered_at")
  Long deliveredAt;

  @Column(name = "expires_at", nullable = false)
  long expiresAt;

  protected QueuedMessage() {}

  StoredMessage toMessage() {
    return new StoredMessage(
        seq == null ? 0 : seq,
        sender,
        senderDevice,
        messageId,
        recipient,
        recipientDevice,
        envelope,
        sentAt,
        expiresAt,
        null);
  }

  /** Primary key: (sender, sender device, id, recipient, recipient device). */
  public record Key(
      String sender, int senderDevice, String messageId, String recipient, int recipientDevice)
      implements Serializable {
    public Key() {
      this(null, 0, null, null, 0);
    }
  }
}
