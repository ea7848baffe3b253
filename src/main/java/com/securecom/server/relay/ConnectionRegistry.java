package com.securecom.server.relay;

import com.securecom.server.keys.PreKeyPoolLow;
import com.securecom.server.session.TokenRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections of this node, one per user: the single place through which
 * deliveries reach a socket. A second connection of a user replaces the first, which is closed with
 * 4409 (on this node here; on another node of a cluster through {@link OtherNodes}, which this
 * registry keeps informed).
 */
@ApplicationScoped
public class ConnectionRegistry {
  private final Map<String, Recipient> byUser = new ConcurrentHashMap<>();

  private OtherNodes otherNodes;

  protected ConnectionRegistry() {}

  @Inject
  public ConnectionRegistry(OtherNodes otherNodes) {
    this.otherNodes = otherNodes;
  }

  /**
   * Makes {@code connection} its user's connection, closing the one it replaces, and tells the
   * other nodes.
   */
  public void register(Recipient connection) {
    Recipient previous = byUser.put(connection.username(), connection);
    if (previous != null && previous != connection) {
      previous.connectedElsewhere();
    }
    otherNodes.connectedHere(connection.username());
  }

  /**
   * Forgets {@code connection} if it is still its user's current one (one never registered has no
   * username).
   */
  public void unregister(Recipient connection) {
    if (connection.username() != null && byUser.remove(connection.username(), connection)) {
      otherNodes.disconnectedHere(connection.username());
    }
  }

  /**
   * Offers a stored message to its recipient's connection on this node; false if the recipient is
   * not here.
   */
  public boolean deliverHere(StoredMessage message) {
    return deliverHereUnlessSentOn(message, null);
  }

  /**
   * Offers a stored message to its recipient's connection on this node, unless that connection is
   * {@code sentOn}, which already got it before it was stored (the fast path): a connection is
   * never sent the same message twice that way. True if the recipient is here (offered or not),
   * false if it is not.
   */
  public boolean deliverHereUnlessSentOn(StoredMessage message, Recipient sentOn) {
    Recipient recipient = byUser.get(message.recipient());
    if (recipient == null) {
      return false;
    }
    if (recipient != sentOn) {
      recipient.offer(message);
    }
    return true;
  }

  /**
   * Sends a receipt to {@code sender}'s connection on this node; false if the sender is not here.
   */
  public boolean receiptHere(String sender, String id, String recipient) {
    Recipient connection = byUser.get(sender);
    if (connection == null) {
      return false;
    }
    connection.receipt(new Receipt(id, recipient));
    return true;
  }

  /**
   * {@code username} connected to another node: its connection here, if any, is closed with 4409.
   */
  public void connectedElsewhere(String username) {
    Recipient here = byUser.get(username);
    if (here != null) {
      here.connectedElsewhere();
    }
  }

  /** The connection of {@code username} on this node, or null. */
  public Recipient here(String username) {
    return byUser.get(username);
  }

  /** True if {@code username} has a connection on this node. */
  public boolean isHere(String username) {
    return byUser.containsKey(username);
  }

  public int size() {
    return byUser.size();
  }

  /**
   * Tells the pool's owner, if connected to this node, that its one-time prekeys run low. A
   * connection on another node is not told: every client also checks its pool when it connects
   * (docs/protocol.md, "preKeysLow").
   */
  void preKeysLow(@Observes PreKeyPoolLow low) {
    Recipient owner = byUser.get(low.username());
    if (owner != null) {
      owner.preKeysLow(low.count());
    }
  }

  /**
   * A logout on this node: closes the session's connection here and has the other nodes close
   * theirs.
   */
  void closeRevoked(@Observes TokenRevoked revoked) {
    closeRevokedHere(revoked.tokenHash());
    otherNodes.revoked(revoked.tokenHash());
  }

  /**
   * Closes (4401) the connection on this node authenticated by the token with this hash, if there
   * is one.
   */
  public void closeRevokedHere(byte[] tokenHash) {
    byUser.values().stream()
        .filter(c -> Arrays.equals(c.tokenHash(), tokenHash))
        .forEach(Recipient::loggedOut);
  }

  /**
   * Another node left the cluster: whatever it had stored for users connected here but not yet
   * handed over (a message, or the receipt of an acknowledgement it committed just before it died)
   * is in the database only, so every connection here reads its queue and its receipts again.
   * Messages already sent on a connection are not sent twice; a receipt may be (receipts are
   * idempotent for clients, docs/protocol.md).
   */
  public void recoverAfterNodeLoss() {
    byUser.values().forEach(Recipient::recover);
  }

  /** Closes connections whose session expired at {@code now} (4401: log in again). */
  public void closeExpired(long now) {
    byUser.values().stream()
        .filter(c -> c.sessionExpiresAt() <= now)
        .forEach(Recipient::sessionExpired);
  }
}
