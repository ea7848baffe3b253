/**
 * The load generator: simulated users that register, log in, complete the real channel handshake and relay 1 KiB
 * envelopes to each other (or speak plain frames to the bare baseline relay), measuring throughput and latency.
 */
package com.securecom.loadgen;
