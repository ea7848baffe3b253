/**
 * Accounts: registration, usernames and Argon2id password hashes, and the mapper of its one failure
 * (409). Depends on {@code keys} (a new account publishes its identity key and prekeys atomically
 * with its creation), {@code ratelimit}, {@code persistence}, {@code audit} and the generic {@code
 * web}; knows nothing of sessions, the channel or the relay.
 */
package com.securecom.server.account;
