/**
 * The relay's JSON messages that travel inside the channel ({@code send}, {@code deliver}, {@code
 * ack}, ...), one sealed hierarchy per direction with a visitor each, their strict codec, and the
 * table of {@code error} codes. Shared by the server and the Java client; depends on Jakarta JSON
 * Processing only.
 */
package com.securecom.protocol.wire;
