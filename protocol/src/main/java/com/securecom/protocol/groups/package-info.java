/**
 * Groups of the peer protocol (docs/protocol.md, "Groups"): a group's id and state ({@link
 * com.securecom.protocol.groups.GroupState}), its one strict JSON encoding ({@link
 * com.securecom.protocol.groups.GroupStateJson}) and the rules that decide whether an update
 * applies ({@link com.securecom.protocol.groups.GroupRules}), the same for the member that makes a
 * change and for every member that receives it. Pure functions: no I/O, no clock, no sessions.
 * Depends on the JDK, Jakarta JSON Processing, the root package's username rule and {@code wire}'s
 * reading of written numbers.
 */
package com.securecom.protocol.groups;
