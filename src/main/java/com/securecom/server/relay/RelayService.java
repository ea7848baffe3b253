package com.securecom.server.relay;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.account.AccountService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * What relay messages mean: storing a {@code send} durably before answering {@code accepted}, handing it to the
 * recipient's connection when there is one, turning an {@code ack} into a receipt for the sender, and forgetting a
 * message once its sender saw the receipt. The sender of every message is the connection's authenticated user.
 */
@ApplicationScoped
public class RelayService {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{3,32}");
  static final int PAGE = 100;

  @Inject
  MessageRepository messages;

  @Inject
  AccountService accounts;

  @Inject
  ConnectionRegistry connections;

  @Inject
  RelaySettings settings;

  @Inject
  RelayMetrics metrics;

  @Inject
  Clock clock;

  /** Handles {@code send} from {@code sender}; the answer is {@code accepted} or an {@code error} for that id. */
  WireMessage send(String sender, WireMessage.Send send) {
    if (!USERNAME.matcher(send.to()).matches()) {
      return error(send.id(), "invalid_recipient", "'to' is not a valid username");
    }
    byte[] envelope;
    try {
      envelope = Bytes.fromBase64(send.envelope());
    } catch (IllegalArgumentException notBase64) {
      return error(send.id(), "invalid_envelope", "envelope must be standard base64");
    }
    if (envelope.length == 0) {
      return error(send.id(), "invalid_envelope", "envelope is empty");
    }
    if (envelope.length > settings.maxEnvelopeBytes()) {
      return error(send.id(), "envelope_too_large",
          "envelope is larger than " + settings.maxEnvelopeBytes() + " bytes");
    }
    if (!accounts.exists(send.to())) {
      return error(send.id(), "unknown_recipient", "no such user");
    }
    long now = clock.millis();
    StoredMessage message =
        new StoredMessage(0, sender, send.id(), send.to(), envelope, now, now + settings.ttl().toMillis());
    switch (messages.store(message, settings.maxQueue())) {
      case STORED -> {
        metrics.accepted();
        connections.find(send.to()).ifPresent(recipient -> recipient.offer(message));
        return new WireMessage.Accepted(send.id());
      }
      case DUPLICATE -> {
        return new WireMessage.Accepted(send.id());
      }
      default -> {
        return error(send.id(), "queue_full", "the recipient's queue is full; try again later");
      }
    }
  }

  /** Handles {@code ack} from {@code recipient}: deletes the envelope and tells the sender. */
  void acknowledge(String recipient, WireMessage.Ack ack) {
    if (messages.acknowledge(recipient, ack.from(), ack.id(), clock.millis())) {
      metrics.delivered();
      connections.find(ack.from()).ifPresent(
          sender -> sender.send(new WireMessage.Delivered(ack.id(), recipient)));
    }
  }

  /** Handles {@code receiptAck}: the sender saw the receipt, so the message is forgotten. */
  void receiptSeen(String sender, WireMessage.ReceiptAck receiptAck) {
    messages.forgetReceipt(sender, receiptAck.id());
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
