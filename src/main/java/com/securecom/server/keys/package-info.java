/**
 * The key registry: each account's Ed25519 identity key, and each of its devices' X25519 signed
 * prekey (checked against the identity key on every upload) and pool of one-time prekeys, each
 * handed out at most once; its REST resource and the mappers of its failures. Depends on {@code
 * device} (addresses only), {@code ratelimit}, {@code persistence}, the generic {@code web} and the
 * shared crypto; knows nothing of accounts, sessions (the caller comes from the standard {@code
 * SecurityContext}) or the relay.
 */
package com.securecom.server.keys;
