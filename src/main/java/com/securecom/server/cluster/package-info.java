/**
 * Scale-out on Payara's Hazelcast data grid: which node holds each device's socket (presence, in a
 * grid map), and handing messages, receipts, "connected elsewhere" notices and logouts to other
 * nodes over their own grid topics, each handover authenticated with a key derived from the shared
 * server key. On a single node the grid has one member and nothing is ever handed over. Depends on
 * {@code relay}, {@code device} (addresses) and {@code channel} (the server key).
 */
package com.securecom.server.cluster;
