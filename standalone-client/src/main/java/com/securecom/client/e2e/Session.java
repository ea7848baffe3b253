package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.DecryptionFailedException;
import jakarta.json.JsonObject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * One end-to-end session with one peer: X3DH to start it, the Double Ratchet for every message.
 *
 * <p>Guarantees: {@link #encrypt} output is confidential and, with its header and both parties'
 * names and identity keys, authenticated; {@link #decrypt} returns a plaintext only if all of that
 * verifies, and changes the session only then (a tampered, forged or replayed message leaves it
 * exactly as it was). Every failure is a {@link DecryptionFailedException} with no detail, except a
 * repeated message, which is a {@link DuplicateMessageException}. Not thread-safe: use one session
 * from one thread at a time.
 */
public final class Session {
  private SessionState state;
  private final KeySource keys;

  Session(SessionState state, KeySource keys) {
    this.state = state;
    this.keys = keys;
  }

  /** The first message of a new session as responder, and the session it started. */
  public record Accepted(Session session, byte[] plaintext) {}

  /**
   * A check of a plaintext that is part of the decryption: if it throws, the session is not
   * changed.
   */
  @FunctionalInterface
  interface PlaintextCheck {
    void check(byte[] plaintext) throws DecryptionFailedException;
  }

  /**
   * Starts a session as initiator with the owner of {@code theirs}.
   *
   * @throws UntrustedBundleException if a signature in the bundle does not verify
   */
  public static Session initiate(
      LocalIdentity me, String myName, PreKeyBundle theirs, SecureRandom random)
      throws UntrustedBundleException {
    return initiate(me, myName, theirs, KeySource.from(random));
  }

  static Session initiate(LocalIdentity me, String myName, PreKeyBundle theirs, KeySource keys)
      throws UntrustedBundleException {
    return new Session(X3dh.initiate(me, myName, theirs, keys).state(), keys);
  }

  /**
   * Starts a session as responder from a PreKey message and decrypts it. The one-time prekey it
   * used is removed from {@code preKeys} only if the message authenticated.
   *
   * @param sender the sender's published identity; its username must be the relay's {@code from}
   * @throws DecryptionFailedException if the envelope is not a well-formed PreKey message, does not
   *     match {@code sender}, names an unknown prekey, or does not authenticate
   */
  public static Accepted accept(
      LocalIdentity me,
      String myName,
      PeerIdentity sender,
      byte[] envelope,
      PreKeyStore preKeys,
      SecureRandom random)
      throws DecryptionFailedException {
    return accept(me, myName, sender, envelope, preKeys, KeySource.from(random), plaintext -> {});
  }

  static Accepted accept(
      LocalIdentity me,
      String myName,
      PeerIdentity sender,
      byte[] envelope,
      PreKeyStore preKeys,
      KeySource keys,
      PlaintextCheck check)
      throws DecryptionFailedException {
    if (!(Envelope.parse(envelope) instanceof Envelope.PreKeyMessage message)) {
      throw new DecryptionFailedException();
    }
    SessionState state = X3dh.respond(me, myName, sender, message.preKey(), preKeys);
    byte[] plaintext;
    try {
      plaintext =
          Padding.unpad(DoubleRatchet.decrypt(state, message.header(), message.ciphertext(), keys));
    } catch (DuplicateMessageException | LateMessageException cannotHappenInANewSession) {
      throw new DecryptionFailedException();
    }
    check.check(plaintext);
    message.preKey().oneTimePreKeyId().ifPresent(preKeys::removeOneTimePreKey);
    return new Accepted(new Session(state, keys), plaintext);
  }

  /**
   * The envelope for {@code content}, {@link Padding padded}: a PreKey message while the initiator
   * awaits a reply, else a normal one.
   */
  public byte[] encrypt(byte[] content) {
    return DoubleRatchet.encrypt(state, Padding.pad(content)).toBytes();
  }

  /** Encrypts {@code payload}; send the envelope under the relay id {@code payload.id()}. */
  public byte[] encrypt(MessagePayload payload) {
    return encrypt(payload.encode());
  }

  /**
   * The (unpadded) content of an envelope of this session: a normal message, or a PreKey message
   * carrying exactly the prekey header that started this session (the initiator repeats it until it
   * hears back).
   *
   * @throws DuplicateMessageException if this message was decrypted before
   * @throws LateMessageException if its key was evicted before it arrived
   * @throws DecryptionFailedException if anything else fails
   */
  public byte[] decrypt(byte[] envelope)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    return decrypt(envelope, plaintext -> {});
  }

  /**
   * Decrypts an envelope delivered under relay id {@code relayId} and decodes its padded payload. A
   * payload that is not well-formed or padded, or names another id, fails like a tampered message,
   * and leaves the session unchanged.
   */
  public MessagePayload decrypt(byte[] envelope, String relayId)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    return payload(decrypt(envelope, payloadCheck(relayId)));
  }

  byte[] decrypt(byte[] envelope, PlaintextCheck check)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    Envelope message = Envelope.parse(envelope);
    if (message instanceof Envelope.PreKeyMessage preKeyMessage && !startedBy(preKeyMessage)) {
      throw new DecryptionFailedException();
    }
    SessionState work = state.copy();
    byte[] plaintext =
        Padding.unpad(DoubleRatchet.decrypt(work, message.header(), message.ciphertext(), keys));
    check.check(plaintext);
    state = work;
    return plaintext;
  }

  /** True if this session is the responder's side of the X3DH that {@code message} carries. */
  boolean startedBy(Envelope.PreKeyMessage message) {
    return state.role == SessionState.Role.RESPONDER && state.preKeyHeader.sameAs(message.preKey());
  }

  static PlaintextCheck payloadCheck(String relayId) {
    return payloadCheck(relayId, DeviceIds.FIRST, DeviceIds.FIRST, null);
  }

  /**
   * The check of a payload delivered under relay id {@code relayId} from device {@code fromDevice}
   * (the {@code deliver}'s {@code device}) to this client's device {@code toDevice}: the payload
   * must name all three, so the server can present a message neither under another id nor as
   * another device's. {@code ownAccount} is this account's username if the sender is this account
   * (another of its devices), null otherwise: a {@link MessagePayload.Sent} to someone else is
   * valid only from the own account, a {@code Text} or {@code Receipt} only from anyone else; so
   * the server cannot pass a peer's text off as one of this account's transcripts, or the reverse.
   * Group payloads are valid from both (the same payload goes to every member and the sender's
   * devices).
   */
  static PlaintextCheck payloadCheck(
      String relayId, int fromDevice, int toDevice, String ownAccount) {
    return plaintext -> {
      Optional<MessagePayload> payload = MessagePayload.decode(plaintext);
      if (payload.isEmpty()
          || !payload.get().id().equals(relayId)
          || payload.get().fromDevice() != fromDevice
          || payload.get().toDevice() != toDevice
          || !fitsSender(payload.get(), ownAccount)) {
        throw new DecryptionFailedException();
      }
    };
  }

  private static boolean fitsSender(MessagePayload payload, String ownAccount) {
    if (payload instanceof MessagePayload.Sent sent) {
      return ownAccount != null && !sent.to().equals(ownAccount);
    }
    if (payload instanceof MessagePayload.GroupText
        || payload instanceof MessagePayload.GroupUpdate) {
      return true; // the same payload for every member: from the own account, the user's own
    }
    return ownAccount == null;
  }

  /** The payload of a plaintext that passed {@link #payloadCheck}. */
  static MessagePayload payload(byte[] checkedPlaintext) {
    return MessagePayload.decode(checkedPlaintext).orElseThrow();
  }

  /** True if the peer of this session has exactly these identity keys (Ed25519 and X25519). */
  public boolean isWith(PeerIdentity identity) {
    return MessageDigest.isEqual(state.peerIdentityKey, identity.identityKey())
        && MessageDigest.isEqual(state.peerIdentityDhKey, identity.identityDhKey());
  }

  /**
   * True if this session can encrypt now (a responder can only after it has received, which it
   * always has).
   */
  public boolean canSend() {
    return state.sendingChainKey != null;
  }

  public String peerName() {
    return state.peerName;
  }

  /**
   * The peer's Ed25519 identity key: compare it with the pinned one, and show the safety number.
   */
  public byte[] peerIdentityKey() {
    return state.peerIdentityKey();
  }

  public SafetyNumber safetyNumber() {
    return SafetyNumber.of(
        state.localName, state.localIdentityKey, state.peerName, state.peerIdentityKey);
  }

  /** A copy of the state, e.g. to inspect it. */
  public SessionState state() {
    return state.copy();
  }

  /** The state as bytes to persist (encrypted): {@link SessionState#toBytes()}. */
  public byte[] toBytes() {
    return state.toBytes();
  }

  /**
   * A session read back from {@link #toBytes()}.
   *
   * @throws IllegalArgumentException if {@code bytes} is not a well-formed session state
   */
  public static Session fromBytes(byte[] bytes, SecureRandom random) {
    return new Session(SessionState.fromBytes(bytes), KeySource.from(random));
  }

  static Session fromBytes(byte[] bytes, KeySource keys) {
    return new Session(SessionState.fromBytes(bytes), keys);
  }

  /** The state as the JSON object {@link #toBytes()} writes, for a record that embeds it. */
  JsonObject toJson() {
    return SessionStateCodec.toJson(state);
  }

  /**
   * A session read back from {@link #toJson()}.
   *
   * @throws IllegalArgumentException if {@code json} is not a well-formed session state
   */
  static Session fromJson(JsonObject json, SecureRandom random) {
    return new Session(SessionStateCodec.fromJson(json), KeySource.from(random));
  }

  @Override
  public String toString() {
    return "Session[" + state.role + ", " + state.localName + " with " + state.peerName + "]";
  }
}
