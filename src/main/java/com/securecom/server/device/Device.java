package com.securecom.server.device;

/**
 * One of an account's devices: its id, when it was added, when it last connected (null if it never
 * did) and the name it chose when it was linked (null: none; device 1 has none). Times in
 * milliseconds since the epoch.
 */
public record Device(int deviceId, long createdAt, Long lastSeenAt, String name) {}
