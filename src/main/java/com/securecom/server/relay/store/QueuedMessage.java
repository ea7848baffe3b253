package com.securecom.server.relay.store;

import com.securecom.server.relay.StoredMessage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * The row of a message from "accepted" until its sender saw the receipt, as JPA reads it (rows are
 * written by {@link JpaMessageRepository#writeAll} through JDBC).
 */
@Entity
@Table(name = "message")
@IdClass(QueuedMessage.Key.class)
class QueuedMessage {
  @Id
  @Column(name = "sender")
  String sender;

  @Id
  @Column(name = "message_id")
  String messageId;

  /** Assigned by the database (identity column); orders each recipient's queue. */
  @Column(name = "seq", insertable = false, updatable = false)
  Long seq;

  @Column(name = "recipient", nullable = false)
  String recipient;

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
        seq == null ? 0 : seq, sender, messageId, recipient, envelope, sentAt, expiresAt);
  }

  /** Primary key: (sender, id). */
  public record Key(String sender, String messageId) implements Serializable {
    public Key() {
      this(null, null);
    }
  }
}
