package com.securecom.server.relay;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What relay messages mean: storing a {@code send} durably before answering {@code accepted}, handing it to the
 * recipient's connection when there is one, turning an {@code ack} into a receipt for the sender, and forgetting a
 * message once its sender saw the receipt. The sender of every message is the connection's authenticated user.
 * Writes go through {@link GroupCommit}; an online recipient gets a message from memory, never from a second read.
 */
@ApplicationScoped
public class RelayService {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,32}");
  static final int PAGE = 100;

  @Inject
  MessageRepository messages;

  @Inject
  KnownRecipients recipients;

  @Inject
  GroupCommit writes;

  @Inject
  ConnectionRegistry connections;

  @Inject
  OtherNodes otherNodes;

  @Inject
  RelaySettings settings;

  @Inject
  RelayMetrics metrics;

  @Inject
  Clock clock;

  /**
   * Handles {@code send} from {@code sender}: {@code reply} gets {@code accepted} once the message is durable (and
   * the recipient's connection, if any, gets it at the same moment, from memory), or an {@code error} for that id.
   * Validation errors are answered at once; the rest after the group commit, on its thread.
   */
  void send(String sender, WireMessage.Send send, Consumer<WireMessage> reply) {
    if (!USERNAME.matcher(send.to()).matches()) {
      reply.accept(error(send.id(), "invalid_recipient", "'to' is not a valid username"));
      return;
    }
    byte[] envelope;
    try {
      envelope = Bytes.fromBase64(send.envelope());
    } catch (IllegalArgumentException notBase64) {
      reply.accept(error(send.id(), "invalid_envelope", "envelope must be standard base64"));
      return;
    }
    if (envelope.length == 0) {
      reply.accept(error(send.id(), "invalid_envelope", "envelope is empty"));
      return;
    }
    if (envelope.length > settings.maxEnvelopeBytes()) {
      reply.accept(error(send.id(), "envelope_too_large",
          "envelope is larger than " + settings.maxEnvelopeBytes() + " bytes"));
      return;
    }
    if (!recipients.exists(send.to())) {
      reply.accept(error(send.id(), "unknown_recipient", "no such user"));
      return;
    }
    long now = clock.millis();
    StoredMessage message =
        new StoredMessage(0, sender, send.id(), send.to(), envelope, now, now + settings.ttl().toMillis());
    writes.submit(new RelayWrite.Store(message), outcome -> {
      switch (outcome) {
        case STORED -> {
          metrics.accepted();
          reply.accept(new WireMessage.Accepted(send.id()));
          if (!connections.deliverHere(message)) {
            otherNodes.deliver(message);
          }
        }
        case DUPLICATE -> reply.accept(new WireMessage.Accepted(send.id()));
        case QUEUE_FULL -> reply.accept(
            error(send.id(), "queue_full", "the recipient's queue is full; try again later"));
        default -> reply.accept(
            error(send.id(), "unavailable", "the message could not be stored; send it again"));
      }
    });
  }

  /** Handles {@code ack} from {@code recipient}: deletes the envelope and, once that committed, tells the sender. */
  void acknowledge(String recipient, WireMessage.Ack ack) {
    writes.submit(new RelayWrite.Acknowledge(recipient, ack.from(), ack.id(), clock.millis()), outcome -> {
      if (outcome == MessageRepository.Outcome.APPLIED) {
        metrics.delivered();
        if (!connections.receiptHere(ack.from(), ack.id(), recipient)) {
          otherNodes.receipt(ack.from(), ack.id(), recipient);
        }
      }
    });
  }

  /** Handles {@code receiptAck}: the sender saw the receipt, so the message is forgotten. */
  void receiptSeen(String sender, WireMessage.ReceiptAck receiptAck) {
    writes.submit(new RelayWrite.ForgetReceipt(sender, receiptAck.id()), outcome -> { });
  }

  /** Runs {@code then} after every write submitted so far was answered (for {@code pong}). */
  void afterPending(Runnable then) {
    writes.afterPending(then);
  }

  /** Sends a newly authenticated connection everything queued for it, then the receipts it is owed. */
  void catchUp(ClientConnection connection) {
    long after = 0;
    while (true) {
      var page = messages.pending(connection.username(), after, PAGE);
      page.forEach(connection::deliverQueued);
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    messages.receipts(connection.username(), settings.maxQueue())
        .forEach(r -> connection.send(new WireMessage.Delivered(r.id(), r.recipient())));
  }

  private static WireMessage.Error error(String id, String code, String message) {
    return new WireMessage.Error(id, code, message);
  }
}
