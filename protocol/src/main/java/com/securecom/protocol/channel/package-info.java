/**
 * The client-server channel: an X25519 handshake authenticated by the server's Ed25519 key,
 * HKDF-SHA256 key derivation over the transcript, and AES-256-GCM frames with per-direction
 * counters. Both halves live here so the server and every Java client run the same code. Depends
 * only on {@code protocol.crypto}; see docs/protocol.md.
 */
package com.securecom.protocol.channel;
