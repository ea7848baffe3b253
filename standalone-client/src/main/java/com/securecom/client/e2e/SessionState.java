package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;

/**
 * Everything one Double Ratchet session remembers: who the two parties are, the root key, both
 * chains, the counters, the ratchet keys, the skipped message keys and the prekey header that
 * started it.
 *
 * <p>Secret: it holds private keys and message keys. {@link #toBytes()} gives UTF-8 JSON
 * (documented in docs/protocol.md) for the store to persist <em>encrypted</em>; {@link
 * #fromBytes(byte[])} reads it back. Not thread-safe; mutated only by {@link DoubleRatchet} on a
 * {@link #copy()} that {@link Session} commits on success.
 */
public final class SessionState {
  /**
   * Which side of X3DH this party was. The initiator's name and keys come first in the associated
   * data.
   */
  public enum Role {
    INITIATOR,
    RESPONDER
  }

  /** The most message keys one header may make a receiver skip in one chain. */
  public static final int MAX_SKIP = 1000;

  /** The most skipped message keys kept in total; the oldest are evicted first. */
  public static final int MAX_SKIPPED_KEYS = 2000;

  /**
   * How many evicted skipped keys' places are remembered, so their late messages are told from
   * duplicates.
   */
  public static final int MAX_EVICTED = 2000;

  /** How many finished receiving chains are remembered to recognise duplicates from them. */
  public static final int MAX_PREVIOUS_CHAINS = 20;

  static final String AD_LABEL = "SecureCom session v1";

  /** A skipped message key's place: the sender's ratchet key (base64) and the message number. */
  record SkippedId(String ratchetKey, long counter) {
    SkippedId(byte[] ratchetKey, long counter) {
      this(Bytes.base64(ratchetKey), counter);
    }
  }

  /**
   * A finished receiving chain: its ratchet key and how many of its messages were received or
   * skipped.
   */
  record ChainEnd(byte[] ratchetKey, long counter) {}

  final Role role;
  final String localName;
  final byte[] localIdentityKey;
  final byte[] localIdentityDhKey;
  final String peerName;
  final byte[] peerIdentityKey;
  final byte[] peerIdentityDhKey;
  final PreKeyHeader preKeyHeader;
  private final byte[] associatedData;

  boolean awaitingReply;
  byte[] rootKey;
  X25519.KeyPair sendingRatchet;
  byte[] receivingRatchetKey;
  byte[] sendingChainKey;
  byte[] receivingChainKey;
  long sendCounter;
  long receiveCounter;
  long previousSendCounter;
  final LinkedHashMap<SkippedId, byte[]> skipped = new LinkedHashMap<>();

  /**
   * The places of skipped keys evicted for room, oldest first: their messages are late, not
   * duplicates.
   */
  final LinkedHashSet<SkippedId> evicted = new LinkedHashSet<>();

  /** Newest first. */
  final ArrayDeque<ChainEnd> previousChains = new ArrayDeque<>();

  SessionState(
      Role role,
      String localName,
      byte[] localIdentityKey,
      byte[] localIdentityDhKey,
      String peerName,
      byte[] peerIdentityKey,
      byte[] peerIdentityDhKey,
      PreKeyHeader preKeyHeader) {
    this.role = role;
    this.localName = localName;
    this.localIdentityKey = localIdentityKey.clone();
    this.localIdentityDhKey = localIdentityDhKey.clone();
    this.peerName = peerName;
    this.peerIdentityKey = peerIdentityKey.clone();
    this.peerIdentityDhKey = peerIdentityDhKey.clone();
    this.preKeyHeader = preKeyHeader;
    this.associatedData =
        role == Role.INITIATOR
            ? associatedData(
                localName,
                localIdentityKey,
                localIdentityDhKey,
                peerName,
                peerIdentityKey,
                peerIdentityDhKey)
            : associatedData(
                peerName,
                peerIdentityKey,
                peerIdentityDhKey,
                localName,
                localIdentityKey,
                localIdentityDhKey);
  }

  /**
   * The session's associated data, initiator first on both sides: {@code "SecureCom session v1" ||
   * u8(len(userA)) || userA || IKsig_A || IKdh_A || u8(len(userB)) || userB || IKsig_B || IKdh_B}.
   *
   * @throws IllegalArgumentException if a username is empty or longer than 255 UTF-8 bytes
   */
  public static byte[] associatedData(
      String initiatorName,
      byte[] initiatorIdentityKey,
      byte[] initiatorIdentityDhKey,
      String responderName,
      byte[] responderIdentityKey,
      byte[] responderIdentityDhKey) {
    return Bytes.concat(
        Bytes.ascii(AD_LABEL),
        lengthPrefixed(initiatorName),
        initiatorIdentityKey,
        initiatorIdentityDhKey,
        lengthPrefixed(responderName),
        responderIdentityKey,
        responderIdentityDhKey);
  }

  private static byte[] lengthPrefixed(String username) {
    byte[] utf8 = username.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == 0 || utf8.length > 255) {
      throw new IllegalArgumentException("username must be 1-255 UTF-8 bytes");
    }
    return Bytes.concat(new byte[] {(byte) utf8.length}, utf8);
  }

  byte[] associatedData() {
    return associatedData;
  }

  /**
   * Remembers a skipped message key, evicting the oldest beyond {@link #MAX_SKIPPED_KEYS}; an
   * evicted key's place goes to {@link #evicted}.
   */
  void addSkipped(byte[] ratchetKey, long counter, byte[] messageKey) {
    skipped.put(new SkippedId(ratchetKey, counter), messageKey);
    Iterator<SkippedId> oldest = skipped.keySet().iterator();
    while (skipped.size() > MAX_SKIPPED_KEYS) {
      addEvicted(oldest.next());
      oldest.remove();
    }
  }

  /** Remembers the place of an evicted key, forgetting the oldest beyond {@link #MAX_EVICTED}. */
  void addEvicted(SkippedId place) {
    evicted.add(place);
    Iterator<SkippedId> oldest = evicted.iterator();
    while (evicted.size() > MAX_EVICTED) {
      oldest.next();
      oldest.remove();
    }
  }

  void addPreviousChain(ChainEnd chain) {
    previousChains.addFirst(chain);
    while (previousChains.size() > MAX_PREVIOUS_CHAINS) {
      previousChains.removeLast();
    }
  }

  /** A deep enough copy to work on: every mutable part is copied, immutable arrays are shared. */
  SessionState copy() {
    SessionState c =
        new SessionState(
            role,
            localName,
            localIdentityKey,
            localIdentityDhKey,
            peerName,
            peerIdentityKey,
            peerIdentityDhKey,
            preKeyHeader);
    c.awaitingReply = awaitingReply;
    c.rootKey = rootKey;
    c.sendingRatchet = sendingRatchet;
    c.receivingRatchetKey = receivingRatchetKey;
    c.sendingChainKey = sendingChainKey;
    c.receivingChainKey = receivingChainKey;
    c.sendCounter = sendCounter;
    c.receiveCounter = receiveCounter;
    c.previousSendCounter = previousSendCounter;
    c.skipped.putAll(skipped);
    c.evicted.addAll(evicted);
    c.previousChains.addAll(previousChains);
    return c;
  }

  public Role role() {
    return role;
  }

  public String localName() {
    return localName;
  }

  public String peerName() {
    return peerName;
  }

  /** The peer's Ed25519 identity key, the one the safety number covers. */
  public byte[] peerIdentityKey() {
    return peerIdentityKey.clone();
  }

  public byte[] peerIdentityDhKey() {
    return peerIdentityDhKey.clone();
  }

  public byte[] localIdentityKey() {
    return localIdentityKey.clone();
  }

  /**
   * The X3DH prekey header that started this session (sent by the initiator, received by the
   * responder).
   */
  public PreKeyHeader preKeyHeader() {
    return preKeyHeader;
  }

  /**
   * True while the initiator has not yet heard from the responder and so still sends PreKey
   * messages.
   */
  public boolean awaitingReply() {
    return awaitingReply;
  }

  /** How many skipped message keys are stored. */
  public int skippedKeyCount() {
    return skipped.size();
  }

  /** How many evicted keys' places are remembered. */
  public int evictedCount() {
    return evicted.size();
  }

  /** UTF-8 JSON of the whole state, private keys included: persist it encrypted only. */
  public byte[] toBytes() {
    return SessionStateCodec.encode(this);
  }

  /**
   * Reads what {@link #toBytes()} wrote.
   *
   * @throws IllegalArgumentException if {@code bytes} is not a well-formed version 1 session state
   */
  public static SessionState fromBytes(byte[] bytes) {
    return SessionStateCodec.decode(bytes);
  }

  @Override
  public String toString() {
    return "SessionState["
        + role
        + ", "
        + localName
        + " with "
        + peerName
        + ", secrets=[REDACTED]]";
  }
}
