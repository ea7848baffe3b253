package com.securecom.server.relay;

/** How much is queued for one device: undelivered copies and their envelope bytes. */
public record QueueSize(long messages, long bytes) {}
