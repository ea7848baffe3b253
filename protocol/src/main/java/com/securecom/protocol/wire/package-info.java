/**
 * The relay's JSON messages that travel inside the channel ({@code send}, {@code deliver}, {@code ack}, ...) and
 * their strict codec. Shared by the server and the Java client; depends on Jakarta JSON Processing only.
 */
package com.securecom.protocol.wire;
