package com.securecom.client.e2e;

import com.securecom.protocol.crypto.DecryptionFailedException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * All sessions with one peer: the current one, used to send, and up to {@link #MAX_PREVIOUS_SESSIONS} older ones
 * that may still receive. This is what the client stores per contact, and the one place that decides which session
 * an incoming envelope belongs to:
 * <ul>
 *   <li>a PreKey message repeating the prekey header of a session we accepted goes to that session (a redelivery or
 *       a later message of the same initiation);
 *   <li>any other PreKey message starts a new session that becomes current (the peer started afresh, or both sides
 *       initiated at once);
 *   <li>a normal message is tried on the current session, then on the older ones, newest first.
 * </ul>
 * A session that decrypts a message becomes current, so two users who initiated at the same time converge on one
 * session. Not thread-safe.
 */
public final class SessionRecord {
  public static final int MAX_PREVIOUS_SESSIONS = 5;
  private static final JsonProvider JSON = JsonProvider.provider();

  /** Newest first; index 0 is the current session. */
  private final List<Session> sessions = new ArrayList<>();

  public SessionRecord() {}

  public Optional<Session> current() {
    return sessions.isEmpty() ? Optional.empty() : Optional.of(sessions.get(0));
  }

  /**
   * Starts a new current session with the owner of {@code theirs} (fetched from the registry); the old one, if any,
   * can still receive.
   *
   * @throws UntrustedBundleException if the bundle's signatures do not verify
   */
  public Session initiate(LocalUser me, PreKeyBundle theirs) throws UntrustedBundleException {
    Session session = Session.initiate(me.identity(), me.username(), theirs, me.random());
    promote(session);
    return session;
  }

  /**
   * Encrypts {@code payload} with the current session.
   *
   * @throws IllegalStateException if there is no session yet: fetch a bundle and {@link #initiate} first
   */
  public byte[] encrypt(MessagePayload payload) {
    return current().orElseThrow(() -> new IllegalStateException("no session")).encrypt(payload);
  }

  /**
   * Decrypts an envelope the relay delivered from {@code sender}'s user under {@code relayId}, and checks that the
   * payload names that id.
   *
   * @param sender called only when a PreKey message starts a new session: the sender's published identity (pinned,
   *     or fetched from the registry for the relay's {@code from}); its username must be the relay's {@code from}
   * @throws DuplicateMessageException if the message was decrypted before: acknowledge it, do not show it again
   * @throws DecryptionFailedException if it is not a message of this peer that authenticates
   */
  public MessagePayload decrypt(byte[] envelope, String relayId, LocalUser me, Supplier<PeerIdentity> sender)
      throws DecryptionFailedException, DuplicateMessageException {
    Session.PlaintextCheck check = Session.payloadCheck(relayId);
    Envelope message = Envelope.parse(envelope);
    if (message instanceof Envelope.PreKeyMessage preKeyMessage) {
      for (Session session : sessions) {
        if (session.startedBy(preKeyMessage)) {
          byte[] plaintext = session.decrypt(envelope, check);
          promote(session);
          return Session.payload(plaintext);
        }
      }
      Session.Accepted accepted = Session.accept(me.identity(), me.username(), sender.get(), envelope,
          me.preKeys(), KeySource.from(me.random()), check);
      promote(accepted.session());
      return Session.payload(accepted.plaintext());
    }
    for (Session session : List.copyOf(sessions)) {
      try {
        byte[] plaintext = session.decrypt(envelope, check);
        promote(session);
        return Session.payload(plaintext);
      } catch (DecryptionFailedException notThisSession) {
        // try the next one
      }
    }
    throw new DecryptionFailedException();
  }

  private void promote(Session session) {
    sessions.remove(session);
    sessions.add(0, session);
    while (sessions.size() > 1 + MAX_PREVIOUS_SESSIONS) {
      sessions.remove(sessions.size() - 1);
    }
  }

  /**
   * UTF-8 JSON {@code {"version":1,"sessions":[<session state>, ...]}}, current first, each session state the JSON
   * object of {@link SessionState#toBytes()}. Contains private keys: persist it encrypted.
   */
  public byte[] toBytes() {
    JsonArrayBuilder states = JSON.createArrayBuilder();
    for (Session session : sessions) {
      try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(session.toBytes()))) {
        states.add(reader.readObject());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JSON.createWriterFactory(Map.of()).createWriter(out)
        .write(JSON.createObjectBuilder().add("version", 1).add("sessions", states).build());
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if {@code bytes} is not what {@link #toBytes()} writes
   */
  public static SessionRecord fromBytes(byte[] bytes, SecureRandom random) {
    SessionRecord record = new SessionRecord();
    try (JsonReader reader = JSON.createReaderFactory(Map.of()).createReader(new ByteArrayInputStream(bytes))) {
      JsonObject json = reader.readObject();
      if (json.getInt("version") != 1) {
        throw new IllegalArgumentException("unsupported session record version");
      }
      for (JsonObject state : json.getJsonArray("sessions").getValuesAs(JsonObject.class)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JSON.createWriter(out).write(state);
        record.sessions.add(Session.fromBytes(out.toByteArray(), random));
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed session record");
    }
    return record;
  }
}
