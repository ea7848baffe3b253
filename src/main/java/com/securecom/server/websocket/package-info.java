/**
 * How the WebSocket container is run: the timers Tyrus arms on every frame go to a plain executor of ours instead
 * of the application server's managed one, whose per-task context capture was the relay's largest cost.
 */
package com.securecom.server.websocket;
