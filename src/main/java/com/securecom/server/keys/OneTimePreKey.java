package com.securecom.server.keys;

/** A single-use X25519 prekey. */
public record OneTimePreKey(long keyId, byte[] publicKey) {}
