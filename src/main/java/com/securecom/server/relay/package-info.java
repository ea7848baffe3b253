/**
 * The relay: the WebSocket endpoint {@code /ws}, each connection's state (handshake, authentication, live), the
 * durable per-recipient queue, delivery and receipts. It moves envelopes it cannot read. Depends on
 * {@code channel}, {@code session}, {@code account}, {@code persistence} and {@code websocket} (the inbound fence).
 */
package com.securecom.server.relay;
