package com.securecom.client.app;

import com.securecom.client.app.IdentityStore.Direction;
import com.securecom.client.app.IdentityStore.Origin;
import com.securecom.client.e2e.DuplicateMessageException;
import com.securecom.client.e2e.LateMessageException;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyHeader;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.net.KeyDirectory;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.wire.WireMessage;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Receiving (docs/protocol.md, "Failures and what a client does"): decrypt, decide which identity
 * the message authenticated under, save the ratchet and the id, then show, acknowledge and answer
 * with an end-to-end receipt. Redeliveries are acknowledged and dropped; a message that does not
 * decrypt, or arrives after its key was discarded, is acknowledged, reported, and answered with at
 * most one "undecryptable" receipt per peer; one whose sender cannot be looked up now stays on the
 * server, unacknowledged.
 *
 * <p>Security guarantee: no text is shown as coming from an identity other than the pinned one,
 * except texts under a pending identity, shown marked as unconfirmed; receipts count only under the
 * pin. A message that fails to authenticate changes nothing.
 */
final class Inbox {
  private final Vault vault;
  private final PeerTrust trust;
  private final KeyDirectory keys;
  private final SecureRandom random;
  private final Clock clock;
  private final MessengerEvents events;
  private final Messenger.Timings timings;
  private final Outbox outbox;
  private final Consumer<WireMessage> relay;
  private final ReceiptBatcher receipts;
  private volatile boolean readReceipts;

  /**
   * {@code relay} sends one message on the open connection; {@code outbox} sends the receipts,
   * collected by {@code receipts}.
   */
  Inbox(Messaging with, Outbox outbox, Consumer<WireMessage> relay, ReceiptBatcher receipts) {
    this.vault = with.vault();
    this.trust = with.trust();
    this.keys = with.keys();
    this.random = with.random();
    this.clock = with.clock();
    this.events = with.events();
    this.timings = with.timings();
    this.outbox = outbox;
    this.relay = relay;
    this.receipts = receipts;
  }

  /** Also sends a {@code read} receipt for every text shown. */
  void sendReadReceipts(boolean on) {
    readReceipts = on;
  }

  /**
   * What to do with one {@code deliver}: the table in docs/protocol.md, "Failures and what a client
   * does".
   */
  void deliver(WireMessage.Deliver deliver) {
    String from = deliver.from();
    Inbound in;
    synchronized (vault) {
      if (vault.data().hasReceived(from, deliver.id())) {
        relay.accept(new WireMessage.Ack(deliver.id(), from));
        return;
      }
      try {
        in = decrypt(deliver);
      } catch (RegistryUnavailableException transientFailure) {
        events.warning(
            "a message from "
                + from
                + " could not be checked now ("
                + transientFailure.getMessage()
                + "); it stays on the server and is delivered again on the next connection");
        return; // not acknowledged, not remembered
      }
      vault.data().rememberReceived(from, deliver.id());
      vault.save();
    }
    switch (in.outcome()) {
      case DUPLICATE -> {}
      case LATE -> {
        events.warning(
            "a message from " + from + " arrived too late to be read (its key had been discarded)");
        notifyUndecryptable(from, deliver.id());
      }
      case FAILED -> {
        events.warning("a message from " + from + " could not be decrypted");
        notifyUndecryptable(from, deliver.id());
      }
      case TEXT -> {
        MessagePayload.Text text = (MessagePayload.Text) in.payload();
        boolean unconfirmed = in.origin() != Origin.PINNED;
        events.received(from, deliver.id(), text.body(), text.sentAt(), unconfirmed);
      }
      case RECEIPT -> {
        if (in.origin() == Origin.PINNED) {
          outbox.receiptArrived(from, (MessagePayload.Receipt) in.payload());
        }
      }
      default -> throw new IllegalStateException();
    }
    relay.accept(new WireMessage.Ack(deliver.id(), from));
    if (in.outcome() == Inbound.Outcome.TEXT && in.origin() == Origin.PINNED) {
      receipts.add(from, MessagePayload.Kind.DELIVERED, deliver.id());
      if (readReceipts) {
        receipts.add(from, MessagePayload.Kind.READ, deliver.id());
      }
    }
  }

  /** Decrypts a delivery and saves what it changed; the caller holds the vault's lock. */
  private Inbound decrypt(WireMessage.Deliver deliver) {
    String from = deliver.from();
    Contact contact = trust.contact(from).orElse(null);
    PeerIdentity pin = contact == null ? null : contact.identity();
    PeerIdentity pending = contact == null ? null : contact.pending();
    SessionRecord record = trust.sessions(from);
    PeerIdentity[] newSessionIdentity = new PeerIdentity[1];
    SessionRecord.Decrypted decrypted;
    long start = System.nanoTime();
    try {
      byte[] envelope = Bytes.fromBase64(deliver.envelope());
      decrypted =
          record.decrypt(
              envelope,
              deliver.id(),
              vault.localUser(random),
              header -> {
                newSessionIdentity[0] = senderIdentity(from, header, pin, pending);
                return newSessionIdentity[0];
              },
              pin);
    } catch (DuplicateMessageException duplicate) {
      return Inbound.of(Inbound.Outcome.DUPLICATE);
    } catch (LateMessageException late) {
      return Inbound.of(Inbound.Outcome.LATE);
    } catch (DecryptionFailedException | IllegalArgumentException e) {
      return Inbound.of(Inbound.Outcome.FAILED);
    }
    timings.decrypt = Duration.ofNanos(System.nanoTime() - start);
    PeerIdentity identity =
        decrypted.newSession()
            ? newSessionIdentity[0]
            : trust.trustedIdentity(from, decrypted.session(), Direction.RECEIVING).orElse(null);
    if (identity == null) {
      return Inbound.of(
          Inbound.Outcome.FAILED); // cannot happen: other identities' sessions were deleted on load
    }
    Origin origin = trust.authenticated(from, identity, record);
    trust.store(from, record);
    if (origin == Origin.NEW_PENDING) {
      Contact now = trust.contact(from).orElseThrow();
      events.warning(
          "WARNING: a message from "
              + from
              + " came from a NEW identity key, not the one you pinned."
              + " A changed key means "
              + from
              + " registered again (a new installation) or the server is misbehaving."
              + " Sending to "
              + from
              + " is blocked until you compare the new safety number ('securecom fingerprint "
              + from
              + "') and run 'securecom verify "
              + from
              + "'"
              + (now.verified()
                  ? "."
                  : ", or accept it unverified with 'securecom accept " + from + "'."));
    }
    vault
        .data()
        .undecryptableNoticeSent
        .remove(from); // a message from them decrypted: one notice is allowed again
    return new Inbound(
        decrypted.payload() instanceof MessagePayload.Text
            ? Inbound.Outcome.TEXT
            : Inbound.Outcome.RECEIPT,
        decrypted.payload(),
        origin);
  }

  /**
   * The identity of a peer whose PreKey message starts a new session: the pinned or pending one if
   * the header carries its keys (no registry call), else the registry's.
   *
   * @throws RegistryUnavailableException if the registry cannot answer now (the message is then
   *     left queued)
   * @throws DecryptionFailedException if the registry has no such user or its answer does not
   *     verify
   */
  private PeerIdentity senderIdentity(
      String from, PreKeyHeader header, PeerIdentity pin, PeerIdentity pending)
      throws DecryptionFailedException {
    for (PeerIdentity known : new PeerIdentity[] {pin, pending}) {
      if (known != null
          && MessageDigest.isEqual(known.identityKey(), header.identityKey())
          && MessageDigest.isEqual(known.identityDhKey(), header.identityDhKey())) {
        return known;
      }
    }
    try {
      return Identities.published(keys, vault.token(clock.instant()), from);
    } catch (NotLoggedInException e) {
      throw new RegistryUnavailableException(from);
    } catch (RuntimeException e) {
      if (KeyDirectory.isTransient(e)) {
        throw new RegistryUnavailableException(from);
      }
      throw new DecryptionFailedException();
    }
  }

  /** At most one "undecryptable" receipt per peer until a message from them decrypts again. */
  private void notifyUndecryptable(String from, String id) {
    synchronized (vault) {
      if (vault.data().undecryptableNoticeSent.contains(from)) {
        return;
      }
    }
    if (outbox.sendReceipt(from, MessagePayload.Kind.UNDECRYPTABLE, id)) {
      synchronized (vault) {
        vault.data().undecryptableNoticeSent.add(from);
        vault.save();
      }
    }
  }

  /** What one delivery turned out to be. */
  private record Inbound(Outcome outcome, MessagePayload payload, Origin origin) {
    enum Outcome {
      DUPLICATE,
      LATE,
      FAILED,
      TEXT,
      RECEIPT
    }

    static Inbound of(Outcome outcome) {
      return new Inbound(outcome, null, null);
    }
  }
}
