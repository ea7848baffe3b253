package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceLinked;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.keys.PreKeyPoolLow;
import com.securecom.server.session.TokenRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections of this node, one per device: the single place through which
 * deliveries reach a socket. A second connection of a device replaces the first, which is closed
 * with 4409 (on this node here; on another node of a cluster through {@link OtherNodes}, which this
 * registry keeps informed); devices of one account are connected side by side.
 *
 * <p>Messages are addressed to devices, and receipts to the sending device.
 */
@ApplicationScoped
public class ConnectionRegistry {
  private final Map<DeviceAddress, Recipient> byDevice = new ConcurrentHashMap<>();

  private OtherNodes otherNodes;

  protected ConnectionRegistry() {}

  @Inject
  public ConnectionRegistry(OtherNodes otherNodes) {
    this.otherNodes = otherNodes;
  }

  /**
   * Makes {@code connection} its device's connection, closing the one it replaces, and tells the
   * other nodes.
   */
  public void register(Recipient connection) {
    Recipient previous = byDevice.put(connection.device(), connection);
    if (previous != null && previous != connection) {
      previous.connectedElsewhere();
    }
    otherNodes.connectedHere(connection.device());
  }

  /**
   * Forgets {@code connection} if it is still its device's current one (one never authenticated has
   * no device).
   */
  public void unregister(Recipient connection) {
    DeviceAddress device = connection.device();
    if (device != null && byDevice.remove(device, connection)) {
      otherNodes.disconnectedHere(device);
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
    Recipient recipient = byDevice.get(message.to());
    if (recipient == null) {
      return false;
    }
    if (recipient != sentOn) {
      recipient.offer(message);
    }
    return true;
  }

  /**
   * Sends {@code receipt} to the sending device's connection on this node; false if that device is
   * not here.
   */
  public boolean receiptHere(DeviceAddress sender, Receipt receipt) {
    Recipient connection = byDevice.get(sender);
    if (connection == null) {
      return false;
    }
    connection.receipt(receipt);
    return true;
  }

  /** {@code device} connected to another node: its connection here, if any, is closed with 4409. */
  public void connectedElsewhere(DeviceAddress device) {
    Recipient here = byDevice.get(device);
    if (here != null) {
      here.connectedElsewhere();
    }
  }

  /** The connection of {@code device} on this node, or null. */
  public Recipient here(DeviceAddress device) {
    return byDevice.get(device);
  }

  /** True if {@code device} has a connection on this node. */
  public boolean isHere(DeviceAddress device) {
    return byDevice.containsKey(device);
  }

  public int size() {
    return byDevice.size();
  }

  /**
   * Tells the pool's owner, if connected to this node, that its one-time prekeys run low. A
   * connection on another node is not told: every client also checks its pool when it connects
   * (docs/protocol.md, "preKeysLow").
   */
  void preKeysLow(@Observes PreKeyPoolLow low) {
    Recipient owner = byDevice.get(low.device());
    if (owner != null) {
      owner.preKeysLow(low.count());
    }
  }

  /**
   * A device list removed devices (on this node): closes their connections here, tells the
   * account's other devices here, and has the other nodes do the same.
   */
  void closeRemoved(@Observes DevicesRemoved removal) {
    removedHere(removal.username(), removal.deviceIds(), removal.serial());
    otherNodes.devicesRemoved(removal.username(), removal.deviceIds());
  }

  /**
   * Closes (4410) the connections on this node of these devices of {@code username}, and tells the
   * account's other connections here that its list is now serial {@code serial}.
   */
  public void removedHere(String username, List<Integer> deviceIds, long serial) {
    for (int id : deviceIds) {
      Recipient connection = byDevice.get(new DeviceAddress(username, id));
      if (connection != null) {
        connection.deviceRemoved();
      }
    }
    byDevice.forEach(
        (device, connection) -> {
          if (device.username().equals(username) && !deviceIds.contains(device.deviceId())) {
            connection.devicesChanged(serial);
          }
        });
  }

  /** A device was linked (on this node): tells the account's connections here and elsewhere. */
  void linked(@Observes DeviceLinked link) {
    linkedHere(link.username(), link.serial());
    otherNodes.deviceLinked(link.username());
  }

  /** Tells every connection of {@code username} here that its list is now serial {@code serial}. */
  public void linkedHere(String username, long serial) {
    byDevice.forEach(
        (device, connection) -> {
          if (device.username().equals(username)) {
            connection.deviceLinked(serial);
          }
        });
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
    byDevice.values().stream()
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
    byDevice.values().forEach(Recipient::recover);
  }

  /** Closes connections whose session expired at {@code now} (4401: log in again). */
  public void closeExpired(long now) {
    byDevice.values().stream()
        .filter(c -> c.sessionExpiresAt() <= now)
        .forEach(Recipient::sessionExpired);
  }
}
