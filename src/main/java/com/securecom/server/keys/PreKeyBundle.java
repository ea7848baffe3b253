package com.securecom.server.keys;

import java.util.Optional;

/**
 * What a peer needs to start a session with a user; the one-time prekey is absent when the pool is
 * empty.
 */
public record PreKeyBundle(
    IdentityKeys identity, SignedPreKey signedPreKey, Optional<OneTimePreKey> oneTimePreKey) {}
