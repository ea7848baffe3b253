package com.securecom.server.device;

import com.securecom.server.persistence.Transaction;
import java.util.Collection;
import java.util.List;

/**
 * Stores which devices each account has. Deleting an account deletes its devices, and deleting a
 * device deletes what it owns (prekeys, tokens): the schema's foreign keys cascade.
 */
public interface DeviceRepository {
  /**
   * Adds {@code device}, linked at {@code createdAt} (milliseconds since the epoch), in {@code tx};
   * false if the account already has a device with that id. The account must exist.
   */
  boolean add(Transaction tx, DeviceAddress device, long createdAt);

  /**
   * As {@link #add(Transaction, DeviceAddress, long)}, with the name the device chose (or null).
   */
  boolean add(Transaction tx, DeviceAddress device, long createdAt, String name);

  /**
   * Locks {@code device}'s row until {@code tx} ends, so that what {@code tx} writes for the device
   * cannot interleave with the device's removal: if a removal deleted the row first, this waits for
   * it to end (false if it committed); a removal that comes later waits for {@code tx}, then
   * deletes what {@code tx} wrote with the device. False, and nothing locked, if there is no such
   * device.
   */
  boolean lock(Transaction tx, DeviceAddress device);

  /** {@code device} connected at {@code at}; false (nothing changed) if there is no such device. */
  boolean seen(DeviceAddress device, long at);

  /** The ids of {@code username}'s devices, ascending; empty for an unknown account. */
  List<Integer> deviceIds(String username);

  /** {@code username}'s devices, by ascending id; empty for an unknown account. */
  List<Device> devices(String username);

  /**
   * Deletes, in {@code tx}, every device of {@code username} whose id is not in {@code kept}, with
   * what it owns (prekeys, tokens); returns the ids deleted, ascending.
   */
  List<Integer> keepOnly(Transaction tx, String username, Collection<Integer> kept);
}
