package com.securecom.server.relay;

/**
 * A delivery receipt owed to the sender of message {@code id}: {@code recipient} acknowledged it.
 */
public record Receipt(String id, String recipient) {}
