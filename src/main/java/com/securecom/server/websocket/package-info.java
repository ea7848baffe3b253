/**
 * How the WebSocket container is run: upgrade requests to {@code /ws} are checked, and the container reads each
 * upgraded connection through a fence that refuses a frame from its header, before it is buffered; the timers Tyrus
 * arms on every frame go to a plain executor of ours instead of the application server's managed one, whose
 * per-task context capture was the relay's largest cost; sessions start with the relay's idle timeout. Depends on
 * Tyrus and the Servlet API only; the relay depends on it ({@link com.securecom.server.websocket.InboundFence}).
 */
package com.securecom.server.websocket;
