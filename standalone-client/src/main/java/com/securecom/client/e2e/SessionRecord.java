package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.DecryptionFailedException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * All sessions with one peer, newest first: up to {@link #MAX_SESSIONS}. This is what the client
 * stores per contact, and the one place that decides which session an incoming envelope belongs to
 * (docs/protocol.md, "Sessions with a peer"):
 *
 * <ul>
 *   <li>a PreKey message repeating the prekey header of a session we accepted goes to that session
 *       (a redelivery or a later message of the same initiation);
 *   <li>any other PreKey message starts a new session as responder;
 *   <li>a normal message is tried on each session, newest first.
 * </ul>
 *
 * A session that decrypts a message becomes the newest.
 *
 * <p><b>Sessions are bound to identities.</b> A record may hold sessions with several identities of
 * the peer (the pinned one, a pending one); it never decides which to trust. {@link #encrypt} sends
 * only on the newest session with the identity the caller pins, {@link Decrypted#session()} says
 * which identity a message authenticated under, and making room never deletes the newest session
 * with the pinned identity, so messages under other identities cannot push the trusted session out.
 * Not thread-safe.
 */
public final class SessionRecord {
  /** The most sessions kept with one peer. */
  public static final int MAX_SESSIONS = 6;

  /** Kept for callers of version 1: the sessions besides the newest. */
  public static final int MAX_PREVIOUS_SESSIONS = MAX_SESSIONS - 1;

  private static final JsonProvider JSON = JsonBytes.JSON;

  /** Newest first. */
  private final List<Session> sessions = new ArrayList<>();

  public SessionRecord() {}

  /**
   * A decrypted message and the session that decrypted it (whose peer identity it authenticated
   * under).
   */
  public record Decrypted(MessagePayload payload, Session session, boolean newSession) {}

  /** The newest session, whatever its identity (for inspection; send with {@link #encrypt}). */
  public Optional<Session> current() {
    return sessions.isEmpty() ? Optional.empty() : Optional.of(sessions.get(0));
  }

  /**
   * The newest session whose peer has exactly the identity keys of {@code pin}: the one to send on.
   */
  public Optional<Session> currentWith(PeerIdentity pin) {
    return newest(s -> s.isWith(pin));
  }

  /** The newest session that {@code usable} accepts (the caller's identity check), if any. */
  public Optional<Session> newest(Predicate<Session> usable) {
    return sessions.stream().filter(usable).findFirst();
  }

  /** How many sessions the record holds. */
  public int size() {
    return sessions.size();
  }

  /**
   * Starts a new newest session with the owner of {@code theirs} (fetched from the registry); older
   * ones can still receive. The caller has checked that the bundle's identity is the one it pins.
   *
   * @throws UntrustedBundleException if the bundle's signatures do not verify
   */
  public Session initiate(LocalUser me, PreKeyBundle theirs) throws UntrustedBundleException {
    Session session = Session.initiate(me.identity(), me.username(), theirs, me.random());
    promote(session, theirs.identity());
    return session;
  }

  /**
   * Encrypts {@code payload} with the newest session with {@code pin}.
   *
   * @throws IllegalStateException if there is no session with that identity: fetch a bundle and
   *     {@link #initiate}
   */
  public byte[] encrypt(PeerIdentity pin, MessagePayload payload) {
    return currentWith(pin)
        .orElseThrow(() -> new IllegalStateException("no session with the pinned identity"))
        .encrypt(payload);
  }

  /**
   * Decrypts an envelope the relay delivered from {@code sender}'s user under {@code relayId}, and
   * checks that the payload names that id. The caller decides from {@link Decrypted#session()}
   * whether the identity it authenticated under is trusted.
   *
   * @param sender called only when a PreKey message starts a new session: the sender's published
   *     identity (the pin if the prekey header carries the pinned keys, else the registry's for the
   *     relay's {@code from})
   * @param pin the identity whose newest session must never be deleted to make room; null if none
   *     is pinned
   * @throws DuplicateMessageException if the message was decrypted before: acknowledge it, do not
   *     show it again
   * @throws LateMessageException if its key was evicted before it arrived: acknowledge it, tell the
   *     user
   * @throws DecryptionFailedException if it is not a message of this peer that authenticates
   */
  public Decrypted decrypt(
      byte[] envelope, String relayId, LocalUser me, SenderIdentity sender, PeerIdentity pin)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    return decrypt(envelope, relayId, DeviceIds.FIRST, DeviceIds.FIRST, me, sender, pin);
  }

  /**
   * {@link #decrypt(byte[], String, LocalUser, SenderIdentity, PeerIdentity)} of an envelope the
   * relay delivered from device {@code fromDevice} to this client's device {@code toDevice}: the
   * payload must name both devices too (docs/protocol.md, "Payload").
   */
  public Decrypted decrypt(
      byte[] envelope,
      String relayId,
      int fromDevice,
      int toDevice,
      LocalUser me,
      SenderIdentity sender,
      PeerIdentity pin)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    return decrypt(envelope, relayId, fromDevice, toDevice, false, me, sender, pin);
  }

  /**
   * {@link #decrypt(byte[], String, int, int, LocalUser, SenderIdentity, PeerIdentity)} where
   * {@code fromOwnAccount} says the sender is this account (another of its devices): then the
   * payload must be a sent transcript to another user, and otherwise it must not be one.
   */
  public Decrypted decrypt(
      byte[] envelope,
      String relayId,
      int fromDevice,
      int toDevice,
      boolean fromOwnAccount,
      LocalUser me,
      SenderIdentity sender,
      PeerIdentity pin)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    Session.PlaintextCheck check =
        Session.payloadCheck(relayId, fromDevice, toDevice, fromOwnAccount ? me.username() : null);
    Envelope message = Envelope.parse(envelope);
    if (message instanceof Envelope.PreKeyMessage preKeyMessage) {
      for (Session session : sessions) {
        if (session.startedBy(preKeyMessage)) {
          byte[] plaintext = session.decrypt(envelope, check);
          promote(session, pin);
          return new Decrypted(Session.payload(plaintext), session, false);
        }
      }
      Session.Accepted accepted =
          Session.accept(
              me.identity(),
              me.username(),
              sender.of(preKeyMessage.preKey()),
              envelope,
              me.preKeys(),
              KeySource.from(me.random()),
              check);
      promote(accepted.session(), pin);
      return new Decrypted(Session.payload(accepted.plaintext()), accepted.session(), true);
    }
    for (Session session : List.copyOf(sessions)) {
      try {
        byte[] plaintext = session.decrypt(envelope, check);
        promote(session, pin);
        return new Decrypted(Session.payload(plaintext), session, false);
      } catch (DecryptionFailedException notThisSession) {
        // try the next one
      }
    }
    throw new DecryptionFailedException();
  }

  /**
   * Deletes every session whose peer identity is none of {@code identities} (nulls are ignored).
   */
  public void retainOnlyWith(PeerIdentity... identities) {
    retainOnly(s -> Arrays.stream(identities).anyMatch(i -> i != null && s.isWith(i)));
  }

  /** Deletes every session that {@code keep} refuses (the caller's identity check). */
  public void retainOnly(Predicate<Session> keep) {
    sessions.removeIf(keep.negate());
  }

  /**
   * The identity of a peer who starts a new session with a PreKey message, given its prekey header:
   * the pinned one if the header carries the pinned keys, else the registry's. It may throw an
   * unchecked exception when the registry cannot answer now; the record is then unchanged.
   */
  @FunctionalInterface
  public interface SenderIdentity {
    PeerIdentity of(PreKeyHeader header) throws DecryptionFailedException;
  }

  private void promote(Session session, PeerIdentity pin) {
    sessions.remove(session);
    sessions.add(0, session);
    Session protectedSession = pin == null ? null : currentWith(pin).orElse(null);
    for (int i = sessions.size() - 1; i >= 0 && sessions.size() > MAX_SESSIONS; i--) {
      if (sessions.get(i) != protectedSession) {
        sessions.remove(i);
      }
    }
  }

  /**
   * UTF-8 JSON {@code {"version":1,"sessions":[<session state>, ...]}}, current first, each session
   * state the JSON object of {@link SessionState#toBytes()}. Contains private keys: persist it
   * encrypted.
   */
  public byte[] toBytes() {
    JsonArrayBuilder states = JSON.createArrayBuilder();
    for (Session session : sessions) {
      states.add(session.toJson());
    }
    return JsonBytes.write(
        JSON.createObjectBuilder().add("version", 1).add("sessions", states).build());
  }

  /**
   * @throws IllegalArgumentException if {@code bytes} is not what {@link #toBytes()} writes
   */
  public static SessionRecord fromBytes(byte[] bytes, SecureRandom random) {
    SessionRecord record = new SessionRecord();
    try (JsonReader reader = JsonBytes.reader(bytes)) {
      JsonObject json = reader.readObject();
      if (json.getInt("version") != 1) {
        throw new IllegalArgumentException("unsupported session record version");
      }
      for (JsonObject state : json.getJsonArray("sessions").getValuesAs(JsonObject.class)) {
        record.sessions.add(Session.fromJson(state, random));
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed session record");
    }
    return record;
  }
}
