package com.securecom.server.device;

/**
 * One of an account's devices: its id, when it was added, and when it last connected (null if it
 * never did). Times in milliseconds since the epoch.
 */
public record Device(int deviceId, long createdAt, Long lastSeenAt) {}
