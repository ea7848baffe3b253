/**
 * Token buckets, alone (one connection's message rate) or keyed (login failures per username and per address,
 * registrations per address). Always checked before the expensive work they protect. Depends on nothing else.
 */
package com.securecom.server.ratelimit;
