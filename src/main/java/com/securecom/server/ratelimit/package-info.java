/**
 * Token buckets, alone (one connection's message rate) or keyed (login failures per username and
 * per address, registrations per address), and the 429 mapper. Always checked before the expensive
 * work they protect. Depends on the generic {@code web} (for the problem body and the client
 * address) and {@code audit} (each 429 is counted and logged) only.
 */
package com.securecom.server.ratelimit;
