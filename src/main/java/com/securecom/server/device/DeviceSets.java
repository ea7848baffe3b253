package com.securecom.server.device;

import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.util.Optional;

/**
 * Each account's current device set, as the relay checks sends against it: the serial of the
 * account's stored device list (0 for a legacy account, which has none) and its device ids in
 * increasing order. The device lists answer it; this package only names it, so that the relay need
 * not know them.
 *
 * <p>An answer may be a little behind a change committed on another node (until that node's notice
 * arrives, and at most {@code CachedDeviceSets}' time to live if the notice is lost): the relay
 * treats a set as a hint that a client must confirm against the list its identity key signed, and
 * nothing a stale set lets through is unsafe (a copy for a removed device expires unread).
 */
public interface DeviceSets {
  /** {@code username}'s device set, or empty if there is no such account. */
  Optional<UserDevices> current(String username);

  /**
   * {@code username}'s list or devices changed (on this node or, told by the cluster, on another):
   * the next {@link #current} reads them again.
   */
  void changed(String username);
}
