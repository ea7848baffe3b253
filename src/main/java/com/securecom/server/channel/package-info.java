/**
 * The client-server channel on the server's side: the {@code /ws} endpoint, each connection
 * (handshake, authentication, dispatch, back-pressure; the relay sees it only as a {@code
 * Recipient}), the per-address limit of new connections checked before any handshake ({@code
 * ConnectionThrottle}), the server's long-lived Ed25519 identity ({@code GET /api/server-key}), and
 * in {@code container} the work-arounds for the WebSocket container it runs in. Depends on {@code
 * relay}, {@code session}, {@code ratelimit}, {@code audit}, {@code config} and {@code web} (the
 * client address); nothing but {@code cluster} and {@code ops} depend on it (for the server key and
 * housekeeping), and the relay never does.
 */
package com.securecom.server.channel;
