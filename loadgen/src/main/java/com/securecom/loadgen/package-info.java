/**
 * The load generator: simulated users that register, log in, complete the real channel handshake
 * and relay 1 KiB envelopes to each other (or speak plain frames to the bare baseline relay),
 * measuring throughput and latency.
 *
 * <p>{@link com.securecom.loadgen.LoadGenerator} is the command line; {@link
 * com.securecom.loadgen.LoadRun} (with {@link com.securecom.loadgen.LoadOptions} and {@link
 * com.securecom.loadgen.LoadResult}) is the same generator for tests: it records, per user, which
 * messages the server accepted and which were delivered (each once), and can reconnect users whose
 * connections end.
 */
package com.securecom.loadgen;
