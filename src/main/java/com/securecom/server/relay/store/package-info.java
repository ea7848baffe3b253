/**
 * The relay's durable queues in the {@code relay_message} table, one per recipient device: {@code
 * JpaMessageRepository} implements the relay's {@code MessageRepository} (JPA reads, JDBC batches
 * for the group commit's writes) and keeps this node's count of queue usage for the limits. Depends
 * on {@code relay} (the interface and its values), {@code device} (addresses) and {@code
 * persistence} only.
 */
package com.securecom.server.relay.store;
