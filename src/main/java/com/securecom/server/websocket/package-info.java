/**
 * How the WebSocket container is run: the timers Tyrus arms on every frame go to a plain executor of ours instead
 * of the application server's managed one, whose per-task context capture was the relay's largest cost; sessions
 * start with the relay's idle timeout. Depends on {@code relay} (its settings).
 */
package com.securecom.server.websocket;
