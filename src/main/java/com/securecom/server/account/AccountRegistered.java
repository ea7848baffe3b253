package com.securecom.server.account;

/**
 * Fired after {@code username} registered from {@code clientAddress} (the rate-limit key of the
 * request).
 */
public record AccountRegistered(String username, String clientAddress) {}
