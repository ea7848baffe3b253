package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import java.util.List;

/**
 * The rest of the cluster, as the relay sees it. A node tells the others who is connected to it and
 * hands them what is for their users; on a single node every method does nothing. Handovers are
 * best effort by design: a message is durable in the shared database before it is handed over, so
 * one lost on the way (a node dying) is delivered when its recipient next connects.
 */
public interface OtherNodes {
  /**
   * {@code device} is now connected to this node. Returns once the other nodes can see it, so that
   * a message stored elsewhere from now on is handed over here, and one stored before is in the
   * database this node reads next.
   */
  void connectedHere(DeviceAddress device);

  /** {@code device}'s connection to this node ended. */
  void disconnectedHere(DeviceAddress device);

  /**
   * Hands a newly stored copy to the node its recipient device is connected to, if that is another
   * node.
   */
  void deliver(StoredMessage message);

  /** Hands {@code receipt} to the node the sending device {@code sender} is connected to. */
  void receipt(DeviceAddress sender, Receipt receipt);

  /**
   * These devices of {@code username} were removed from the account: every other node closes their
   * connections (4410), if it has them.
   */
  void devicesRemoved(String username, List<Integer> deviceIds);

  /**
   * A device was linked to {@code username}'s account: every other node reads the account's device
   * set again and tells the account's connections it has (devicesChanged, or 4426 below version 4).
   */
  void deviceLinked(String username);

  /**
   * The session with this token hash was logged out: every other node closes its connection, if it
   * has it.
   */
  void revoked(byte[] tokenHash);
}
