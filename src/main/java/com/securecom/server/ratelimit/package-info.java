/**
 * Token buckets, alone (one connection's message rate) or keyed (login failures per username and
 * per address, registrations per address), and the 429 mapper. Always checked before the expensive
 * work they protect. Depends on the generic {@code web} only (for the problem body).
 */
package com.securecom.server.ratelimit;
