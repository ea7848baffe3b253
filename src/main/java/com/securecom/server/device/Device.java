package com.securecom.server.device;

/** One of an account's devices: its id, and when it was added (milliseconds since the epoch). */
public record Device(int deviceId, long createdAt) {}
