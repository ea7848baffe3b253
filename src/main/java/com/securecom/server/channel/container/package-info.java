/**
 * Work-arounds for the WebSocket container (Tyrus 2.1 in Payara Micro 6) that the channel runs in:
 * upgrade requests to {@code /ws} are checked, and the container reads each upgraded connection
 * through a fence that refuses a frame from its header, before it is buffered, and unmasks the
 * frames it passes (Tyrus's own unmasking was the relay's hottest method); the timers Tyrus arms on
 * every frame go to a plain executor of ours instead of the application server's managed one, whose
 * per-task context capture was the relay's largest cost; sessions start with the relay's idle
 * timeout. Each of these can go once the container is fixed (docs/upstream). Also what the standard
 * API does not give an endpoint: who sent its upgrade (the peer's address, read from Tyrus, and the
 * headers), kept for the connection. Depends on Tyrus and the Servlet API only, never on the rest
 * of the server; the channel uses it ({@link com.securecom.server.channel.container.InboundFence},
 * {@link com.securecom.server.channel.container.UpgradeClient}).
 */
package com.securecom.server.channel.container;
