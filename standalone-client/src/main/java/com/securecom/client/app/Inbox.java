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
import com.securecom.protocol.DeviceIds;
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
  private final DeviceLists lists;
  private final Outbox outbox;
  private final Consumer<WireMessage> relay;
  private final ReceiptBatcher receipts;
  private final GroupInbox groups;
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
    this.lists = with.devices();
    this.outbox = outbox;
    this.relay = relay;
    this.receipts = receipts;
    this.groups = new GroupInbox(vault, events);
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
      String sender = ProfileData.deviceKey(from, device(deliver));
      if (vault.data().hasReceived(sender, deliver.id())) {
        relay.accept(ack(deliver));
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
      if (in.outcome() != Inbound.Outcome.UNSIGNED_DEVICE) {
        // a device outside the signed list is not remembered: a server that invents devices
        // cannot make the profile keep ids for each of them
        vault.data().rememberReceived(sender, deliver.id());
        vault.save();
      }
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
      case TRANSCRIPT -> {
        MessagePayload.Sent sent = (MessagePayload.Sent) in.payload();
        events.sentFromOtherDevice(
            sent.to(), deliver.id(), sent.body(), sent.sentAt(), device(deliver));
      }
      case UNSIGNED_DEVICE ->
          events.warning(
              "a message claiming to come from "
                  + from
                  + "'s device "
                  + device(deliver)
                  + ", which "
                  + from
                  + "'s identity key has not signed, was dropped");
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
      case GROUP -> in.notice().run(); // acknowledged; no receipt for group payloads
      default -> throw new IllegalStateException();
    }
    relay.accept(ack(deliver));
    if (in.outcome() == Inbound.Outcome.TEXT && in.origin() == Origin.PINNED) {
      receipts.add(from, MessagePayload.Kind.DELIVERED, deliver.id());
      if (readReceipts) {
        receipts.add(from, MessagePayload.Kind.READ, deliver.id());
      }
    }
  }

  /** The sending device of a delivery (1 for a server below relay version 4, which names none). */
  private static int device(WireMessage.Deliver deliver) {
    return deliver.device() == 0 ? DeviceIds.FIRST : deliver.device();
  }

  /** The {@code ack} of a delivery: with its {@code device} at relay version 4. */
  private static WireMessage.Ack ack(WireMessage.Deliver deliver) {
    return deliver.device() == 0
        ? new WireMessage.Ack(deliver.id(), deliver.from())
        : new WireMessage.Ack(deliver.id(), deliver.from(), deliver.device());
  }

  /**
   * True if device {@code device} of {@code from} is in the list pinned for them; if it is not, the
   * server's list is fetched and judged once (docs/protocol.md, "Peer protocol", devices outside
   * the list), under the pinned identity key, or the registry's if nothing is pinned yet.
   *
   * @throws RegistryUnavailableException if the list cannot be fetched now
   */
  private boolean isListed(String from, int device, PeerIdentity pin) {
    if (lists.pinned(from).ids().contains(device)) {
      return true;
    }
    try {
      String token = vault.token(clock.instant());
      byte[] identityKey =
          pin != null ? pin.identityKey() : Identities.published(keys, token, from).identityKey();
      lists.refresh(token, from, identityKey);
    } catch (NotLoggedInException e) {
      throw new RegistryUnavailableException(from);
    } catch (RuntimeException e) {
      if (KeyDirectory.isTransient(e)) {
        throw new RegistryUnavailableException(from);
      }
      return false;
    }
    return lists.pinned(from).ids().contains(device);
  }

  /** Decrypts a delivery and saves what it changed; the caller holds the vault's lock. */
  private Inbound decrypt(WireMessage.Deliver deliver) {
    String from = deliver.from();
    int device = device(deliver);
    Contact contact = trust.contact(from).orElse(null);
    PeerIdentity pin = contact == null ? null : contact.identity();
    PeerIdentity pending = contact == null ? null : contact.pending();
    boolean own = from.equals(vault.info().username());
    if (own && device == vault.data().deviceId) {
      return Inbound.of(Inbound.Outcome.FAILED); // no device sends to itself
    }
    if (!isListed(from, device, pin)) {
      return Inbound.of(Inbound.Outcome.UNSIGNED_DEVICE); // nothing decrypted
    }
    SessionRecord record = trust.sessions(from, device);
    PeerIdentity[] newSessionIdentity = new PeerIdentity[1];
    SessionRecord.Decrypted decrypted;
    long start = System.nanoTime();
    try {
      byte[] envelope = Bytes.fromBase64(deliver.envelope());
      decrypted =
          record.decrypt(
              envelope,
              deliver.id(),
              device,
              vault.data().deviceId,
              own,
              vault.localUser(random),
              header -> {
                newSessionIdentity[0] = senderIdentity(from, own, header, pin, pending);
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
    trust.store(from, device, record);
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
    if (decrypted.payload() instanceof MessagePayload.Sent sent) {
      // stored by the server with every copy of its send: later receipts of its recipient, which
      // reach every device of this account, move it on here too
      vault.data().rememberSent(deliver.id(), sent.to(), SentState.SENT);
      return new Inbound(Inbound.Outcome.TRANSCRIPT, sent, origin, null);
    }
    Inbound.Outcome outcome = outcomeOf(decrypted.payload());
    if (outcome == Inbound.Outcome.GROUP) {
      // applied in the same save as the ratchet and the delivery's id
      return new Inbound(
          outcome,
          decrypted.payload(),
          origin,
          groups.take(from, device, deliver.id(), decrypted.payload(), origin == Origin.PINNED));
    }
    return new Inbound(outcome, decrypted.payload(), origin, null);
  }

  private static Inbound.Outcome outcomeOf(MessagePayload payload) {
    if (payload instanceof MessagePayload.Text) {
      return Inbound.Outcome.TEXT;
    }
    if (payload instanceof MessagePayload.Receipt) {
      return Inbound.Outcome.RECEIPT;
    }
    return Inbound.Outcome.GROUP;
  }

  /**
   * The identity of a peer whose PreKey message starts a new session: the pinned or pending one if
   * the header carries its keys (no registry call), else the registry's; for another device of this
   * account ({@code own}), only this profile's own identity, never the registry's.
   *
   * @throws RegistryUnavailableException if the registry cannot answer now (the message is then
   *     left queued)
   * @throws DecryptionFailedException if the registry has no such user or its answer does not
   *     verify
   */
  private PeerIdentity senderIdentity(
      String from, boolean own, PreKeyHeader header, PeerIdentity pin, PeerIdentity pending)
      throws DecryptionFailedException {
    for (PeerIdentity known : new PeerIdentity[] {pin, pending}) {
      if (known != null
          && MessageDigest.isEqual(known.identityKey(), header.identityKey())
          && MessageDigest.isEqual(known.identityDhKey(), header.identityDhKey())) {
        return known;
      }
    }
    if (own) {
      throw new DecryptionFailedException(); // another identity under this account's name
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
  private record Inbound(Outcome outcome, MessagePayload payload, Origin origin, Runnable notice) {
    enum Outcome {
      DUPLICATE,
      LATE,
      FAILED,
      /** From a device the list pinned for the sender does not have, even once fetched again. */
      UNSIGNED_DEVICE,
      /** A sent transcript from another device of this account. */
      TRANSCRIPT,
      TEXT,
      RECEIPT,
      /** A group text or update ({@link GroupInbox}): {@code notice} tells the user. */
      GROUP
    }

    static Inbound of(Outcome outcome) {
      return new Inbound(outcome, null, null, null);
    }
  }
}
