/**
 * The client's local state, one profile (one user on one server) per directory: a plain {@code
 * profile.json}, an encrypted, atomically replaced {@code state.bin} (Argon2id passphrase key,
 * AES-256-GCM) and the encrypted, append-only {@code journal.bin} of changes saved since, the
 * policy new passphrases must meet, and profiles whose key is kept in the OS keyring instead.
 * Depends only on the protocol's crypto wrappers, Bouncy Castle's Argon2, zxcvbn4j, jakarta.json
 * and the {@code keyring} package; never on the network, e2e or UI packages.
 */
package com.securecom.client.store;
