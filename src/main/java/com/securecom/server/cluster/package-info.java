/**
 * Scale-out on Payara's Hazelcast data grid: which node holds each user's socket (presence, in a grid map), and
 * handing messages, receipts and "connected elsewhere" notices to that node over its own grid topic. On a single
 * node the grid has one member and nothing is ever handed over. Depends on {@code relay}.
 */
package com.securecom.server.cluster;
