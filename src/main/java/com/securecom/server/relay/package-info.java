/**
 * The relay's domain: what relay messages mean ({@code RelayService}), the order in which a
 * connected device gets what is held for it ({@code DeliveryPump}), the connections of this node
 * ({@code ConnectionRegistry}, which reaches each one only as a {@link
 * com.securecom.server.relay.Recipient}), the write path's group commit, the rest of the cluster as
 * a port ({@code OtherNodes}) and the queue as a repository interface. It moves envelopes it cannot
 * read. Depends on {@code account}, {@code device}, {@code keys} and {@code session} (their events
 * and lookups); never on {@code channel} (the transport), {@code cluster} or its own {@code store}.
 */
package com.securecom.server.relay;
