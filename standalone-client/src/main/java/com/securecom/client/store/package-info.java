/**
 * The client's local state, one profile (one user on one server) per directory: a plain {@code profile.json} and an
 * encrypted, atomically replaced {@code state.bin} (Argon2id passphrase key, AES-256-GCM). Depends only on the
 * protocol's crypto wrappers, Bouncy Castle's Argon2 and jakarta.json; never on the network, e2e or UI packages.
 */
package com.securecom.client.store;
