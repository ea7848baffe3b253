package com.securecom.server.relay;

/**
 * A delivery receipt owed to the device that sent message {@code id}: device {@code
 * recipientDevice} of {@code recipient} acknowledged its copy.
 */
public record Receipt(String id, String recipient, int recipientDevice) {}
