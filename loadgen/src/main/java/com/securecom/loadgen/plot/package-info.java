/**
 * Latency-versus-load charts from the generator's {@code CSV,...} result lines (one series per
 * server or kind), drawn by XChart and written as PNG, headless. Depends on nothing but the JDK,
 * XChart and picocli; nothing here talks to a server.
 */
package com.securecom.loadgen.plot;
