package com.securecom.client.e2e;

import java.security.SecureRandom;

/**
 * The logged-in user as the peer protocol needs it: name, identity, prekeys (to accept new
 * sessions) and randomness. Build one after login and pass it to {@link SessionRecord}.
 */
public record LocalUser(
    String username, LocalIdentity identity, PreKeyStore preKeys, SecureRandom random) {}
