package com.securecom.server.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each sending device's messages to one recipient device in order across the two ways a
 * message can go (docs/protocol.md, "Sending"): while a message of the pair is on its way through
 * the store on this node, a later one may take the fast path only if it cannot arrive first.
 *
 * <p>A message stored first (its recipient has nothing yet) blocks the fast path for the pair until
 * it was handed over. A message whose fast-path window ended was already sent on one connection
 * before its store began; a later message sent on that same connection arrives after it, so it
 * blocks only the other connections (a reconnection, which gets the stored one from the store). A
 * window missed under load thus no longer sends the pair's later messages to the store too, and a
 * backlog cannot feed itself.
 *
 * <p>Per pair, not per recipient: a busy recipient nearly always has some other sender's message in
 * the store. Thread-safe; an entry lives while the pair has messages in the store.
 */
final class PairOrder {
  /**
   * The pair's messages in the store: how many reached no connection yet, and how many were sent on
   * a connection before their store began: all on {@code reached}, or on several ({@code null}).
   */
  private record InStore(int reachedNone, int reachedOne, Recipient reached) {
    static final InStore NONE = new InStore(0, 0, null);

    InStore plus(Recipient sentOn) {
      if (sentOn == null) {
        return new InStore(reachedNone + 1, reachedOne, reached);
      }
      return new InStore(
          reachedNone, reachedOne + 1, reachedOne == 0 || reached == sentOn ? sentOn : null);
    }

    InStore minus(Recipient sentOn) {
      return sentOn == null
          ? new InStore(reachedNone - 1, reachedOne, reached)
          : new InStore(reachedNone, reachedOne - 1, reachedOne == 1 ? null : reached);
    }

    /** Whether a message sent now on {@code connection} would arrive after every one of these. */
    boolean allReached(Recipient connection) {
      return reachedNone == 0 && (reachedOne == 0 || (reached != null && reached == connection));
    }

    boolean isEmpty() {
      return reachedNone == 0 && reachedOne == 0;
    }
  }

  private final Map<String, InStore> inStore = new ConcurrentHashMap<>();

  /**
   * True if {@code message} may be sent now on {@code connection}, its recipient's connection here,
   * without overtaking a message of the same pair that is on its way through the store.
   */
  boolean mayGoFirst(StoredMessage message, Recipient connection) {
    if (inStore.isEmpty()) {
      return true;
    }
    InStore pending = inStore.get(pair(message));
    return pending == null || pending.allReached(connection);
  }

  /**
   * {@code message} goes to the store; {@code sentOn} is the connection that already has it (its
   * fast-path window ended), or null.
   */
  void storing(StoredMessage message, Recipient sentOn) {
    inStore.merge(pair(message), InStore.NONE.plus(sentOn), (held, one) -> held.plus(sentOn));
  }

  /** The store of {@code message} was answered and the message handed over. */
  void stored(StoredMessage message, Recipient sentOn) {
    inStore.computeIfPresent(
        pair(message),
        (key, held) -> {
          InStore left = held.minus(sentOn);
          return left.isEmpty() ? null : left;
        });
  }

  private static String pair(StoredMessage message) {
    return message.sender()
        + '\u0000'
        + message.senderDevice()
        + '\u0000'
        + message.recipient()
        + '\u0000'
        + message.recipientDevice();
  }
}
