/**
 * The server's side of the client-server channel: its long-lived Ed25519 identity (generated on first start, kept
 * in a key file, published at {@code GET /api/server-key}) and the handshake factory. The handshake and framing
 * themselves are in the shared {@code com.securecom.protocol.channel}.
 */
package com.securecom.server.channel;
