/**
 * The key registry: each user's Ed25519 identity key, X25519 signed prekey (checked against the identity key on
 * every upload) and pool of one-time prekeys, each handed out at most once. Depends on {@code persistence} and the
 * shared crypto; knows nothing of accounts' passwords, sessions or the relay.
 */
package com.securecom.server.keys;
