package com.securecom.server.keys;

/**
 * Fired when a bundle fetch left {@code username}'s one-time prekey pool with {@code count} keys,
 * below the low-water mark (or found it empty): the owner should upload more now, not at its next
 * connection.
 */
public record PreKeyPoolLow(String username, long count) {}
