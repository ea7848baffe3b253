/**
 * Accounts: registration, usernames and Argon2id password hashes, and the mapper of its one failure
 * (409). Depends on {@code device} and {@code keys} (a new account is created with its first
 * device, and publishes its identity key and that device's prekeys, atomically), {@code ratelimit},
 * {@code persistence}, {@code audit} and the generic {@code web}; knows nothing of sessions, the
 * channel or the relay.
 */
package com.securecom.server.account;
