/**
 * Signed device lists (issue 14, docs/protocol.md "Device lists"): each account's latest list,
 * signed by its identity key, stored and served as the client uploaded it, and the device rows kept
 * equal to its entries. The server checks every list with the account's identity key and accepts
 * only a successor of the one it holds, so it can neither make a list nor roll one back; clients
 * verify each list themselves. Depends on {@code device}, {@code keys} (identity keys, lookup
 * limits), {@code audit}, {@code ratelimit}, {@code persistence} and the generic {@code web}; knows
 * nothing of the relay.
 */
package com.securecom.server.devicelist;
