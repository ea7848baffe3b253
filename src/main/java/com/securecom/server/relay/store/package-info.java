/**
 * The relay's durable queue in the {@code message} table: {@code JpaMessageRepository} implements
 * the relay's {@code MessageRepository} (JPA reads, JDBC batches for the group commit's writes) and
 * keeps this node's count of queue usage for the limits. Depends on {@code relay} (the interface
 * and its values) and {@code persistence} only.
 */
package com.securecom.server.relay.store;
