package com.securecom.server.relay;

import com.securecom.protocol.Usernames;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * What relay messages mean: storing a {@code send} durably before answering {@code accepted},
 * handing it to the recipient's connection when there is one, turning an {@code ack} into a receipt
 * for the sender, and forgetting a message once its sender saw the receipt. The sender of every
 * message is the connection's authenticated user. Writes go through {@link GroupCommit}; an online
 * recipient gets a message from memory, never from a second read.
 */
@ApplicationScoped
public class RelayService {
  private MessageRepository messages;
  private KnownRecipients recipients;
  private GroupCommit writes;
  private ConnectionRegistry connections;
  private OtherNodes otherNodes;
  private RelaySettings settings;
  private RelayMetrics metrics;
  private Clock clock;

  protected RelayService() {}

  @Inject
  public RelayService(
      MessageRepository messages,
      KnownRecipients recipients,
      GroupCommit writes,
      ConnectionRegistry connections,
      OtherNodes otherNodes,
      RelaySettings settings,
      RelayMetrics metrics,
      Clock clock) {
    this.messages = messages;
    this.recipients = recipients;
    this.writes = writes;
    this.connections = connections;
    this.otherNodes = otherNodes;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Handles {@code send} from {@code sender}: {@code reply} gets {@code accepted} once the message
   * is durable (and the recipient's connection, if any, gets it at the same moment, from memory),
   * or an {@code error} for that id. Validation errors are answered at once; the rest after the
   * group commit, on its thread.
   */
  public void send(String sender, WireMessage.Send send, Consumer<WireMessage> reply) {
    if (!Usernames.isValid(send.to())) {
      reply.accept(error(send.id(), ErrorCodes.INVALID_RECIPIENT, "'to' is not a valid username"));
      return;
    }
    if (send.to().equals(sender)) {
      reply.accept(
          error(
              send.id(),
              ErrorCodes.INVALID_RECIPIENT,
              "'to' is the sender: a client cannot send to itself"));
      return;
    }
    byte[] envelope = canonicalBase64(send.envelope());
    if (envelope == null) {
      reply.accept(
          error(
              send.id(),
              ErrorCodes.INVALID_ENVELOPE,
              "envelope must be canonical standard base64 with padding"));
      return;
    }
    if (envelope.length == 0) {
      reply.accept(error(send.id(), ErrorCodes.INVALID_ENVELOPE, "envelope is empty"));
      return;
    }
    if (envelope.length > settings.maxEnvelopeBytes()) {
      reply.accept(
          error(
              send.id(),
              ErrorCodes.ENVELOPE_TOO_LARGE,
              "envelope is larger than " + settings.maxEnvelopeBytes() + " bytes"));
      return;
    }
    if (!recipients.exists(send.to())) {
      reply.accept(error(send.id(), ErrorCodes.UNKNOWN_RECIPIENT, "no such user"));
      return;
    }
    long now = clock.millis();
    StoredMessage message =
        new StoredMessage(
            0, sender, send.id(), send.to(), envelope, now, now + settings.ttl().toMillis());
    writes.submit(
        new RelayWrite.Store(message),
        outcome -> {
          switch (outcome) {
            case STORED -> {
              metrics.accepted();
              reply.accept(new WireMessage.Accepted(send.id()));
              if (!connections.deliverHere(message)) {
                otherNodes.deliver(message);
              }
            }
            case DUPLICATE -> reply.accept(new WireMessage.Accepted(send.id()));
            case ID_REUSED ->
                reply.accept(
                    error(
                        send.id(),
                        ErrorCodes.ID_REUSED,
                        "this id names another message of yours that the server still holds; use a fresh id"));
            case QUEUE_FULL ->
                reply.accept(
                    error(
                        send.id(),
                        ErrorCodes.QUEUE_FULL,
                        "the recipient's queue is full; try again later"));
            case SENDER_SHARE_FULL ->
                reply.accept(
                    error(
                        send.id(),
                        ErrorCodes.SENDER_SHARE_FULL,
                        "your share of the recipient's queue is used up; try again once the recipient has read"));
            case SENDER_QUOTA_FULL ->
                reply.accept(
                    error(
                        send.id(),
                        ErrorCodes.SENDER_QUOTA_FULL,
                        "you have as many undelivered messages as the server holds for one sender; try again later"));
            default ->
                reply.accept(
                    error(
                        send.id(),
                        ErrorCodes.UNAVAILABLE,
                        "the message could not be stored; send it again"));
          }
        });
  }

  /**
   * Decodes canonical standard base64 with padding (RFC 4648 section 4, no other spelling of the
   * same bytes: the padding present, the unused bits of the last character zero), or null. So the
   * envelope a recipient gets is byte for byte the text the sender sent.
   */
  static byte[] canonicalBase64(String text) {
    try {
      byte[] bytes = Bytes.fromBase64(text);
      return Bytes.base64(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  /**
   * Handles {@code ack} from {@code recipient}: deletes the envelope and, once that committed,
   * tells the sender. An ack that names no undelivered message of this recipient changes nothing.
   * {@code envelopeBytes} is the size of the envelope acknowledged, if the connection delivered it
   * (-1 if not known).
   */
  public void acknowledge(String recipient, WireMessage.Ack ack, int envelopeBytes) {
    writes.submit(
        new RelayWrite.Acknowledge(recipient, ack.from(), ack.id(), clock.millis(), envelopeBytes),
        outcome -> {
          if (outcome == MessageRepository.Outcome.APPLIED) {
            metrics.delivered();
            if (!connections.receiptHere(ack.from(), ack.id(), recipient)) {
              otherNodes.receipt(ack.from(), ack.id(), recipient);
            }
          }
        });
  }

  /**
   * Handles {@code receiptAck}: the sender saw the receipt, so the message is forgotten (if there
   * is one).
   */
  public void receiptSeen(String sender, WireMessage.ReceiptAck receiptAck) {
    writes.submit(new RelayWrite.ForgetReceipt(sender, receiptAck.id()), outcome -> {});
  }

  /** Runs {@code then} after every write submitted so far was answered (for {@code pong}). */
  public void afterPending(Runnable then) {
    writes.afterPending(then);
  }

  /**
   * Up to {@code limit} undelivered messages for {@code recipient} after {@code afterSeq}, oldest
   * first.
   */
  public List<StoredMessage> queued(String recipient, long afterSeq, int limit) {
    return messages.pending(recipient, afterSeq, limit);
  }

  /** The receipts owed to {@code sender} (at most one queue's worth), oldest first. */
  public List<Receipt> receiptsOwed(String sender) {
    return messages.receipts(sender, settings.maxQueue());
  }

  private static WireMessage.Error error(String id, String code, String message) {
    return new WireMessage.Error(id, code, message);
  }
}
