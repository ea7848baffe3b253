package com.securecom.server.device;

/**
 * How much waits in each device's queue, for the device's owner to see. The relay's store
 * implements it; this package only names what it answers, so that those who show devices need not
 * know the relay.
 */
public interface DeviceQueues {
  /** The undelivered messages queued for {@code device} and their envelope bytes. */
  Queued queued(DeviceAddress device);

  /** A queue's size: undelivered messages and their envelope bytes. */
  record Queued(long messages, long bytes) {}
}
