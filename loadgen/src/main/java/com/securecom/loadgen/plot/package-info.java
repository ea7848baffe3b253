/**
 * Latency-versus-load plots from the generator's {@code CSV,...} result lines (one series per server or kind), drawn
 * with Java2D and written as PNG by ImageIO. Depends on nothing but the JDK and picocli; nothing here talks to a server.
 */
package com.securecom.loadgen.plot;
