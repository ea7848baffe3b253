package com.securecom.server.devicelist;

import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.server.persistence.Transaction;
import java.util.Optional;

/** Stores each account's latest signed device list, byte for byte. */
public interface DeviceListRepository {
  /** The account's list, or empty for a legacy account that never published one. */
  Optional<SignedDeviceList> find(String username);

  /** The serial of the account's list, or 0 for a legacy account that never published one. */
  long serial(String username);

  /**
   * Stores {@code list} (whose serial is {@code serial}) as the account's list in {@code tx} if the
   * stored one still has serial {@code expectedSerial} (0: none stored); false, and nothing
   * written, if another list was stored meanwhile.
   */
  boolean compareAndSet(
      Transaction tx,
      String username,
      long expectedSerial,
      SignedDeviceList list,
      long serial,
      long now);
}
