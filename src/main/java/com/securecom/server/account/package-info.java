/**
 * Accounts: registration, usernames and Argon2id password hashes. Depends on {@code keys} (a new account publishes
 * its identity key and prekeys atomically with its creation) and {@code persistence}; knows nothing of sessions or
 * the relay.
 */
package com.securecom.server.account;
