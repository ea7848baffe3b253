package com.securecom.server.relay;

/**
 * What the queue may hold, checked in the transaction that stores each message ({@link
 * MessageRepository#writeAll}). A recipient holds at most {@code recipientMessages} undelivered
 * messages of at most {@code recipientBytes} envelope bytes in all ({@code queue_full}); one
 * sender's share of one recipient's queue is at most {@code shareMessages} and {@code shareBytes}
 * ({@code sender_share_full}); and one sender has at most {@code senderMessages} messages stored in
 * all queues, undelivered or waiting for its {@code receiptAck}, with at most {@code senderBytes}
 * envelope bytes undelivered ({@code sender_quota_full}). So one account can make the server hold
 * at most {@code senderBytes} of envelopes and {@code senderMessages} rows, whoever it writes to.
 */
public record QueueLimits(
    long recipientMessages,
    long recipientBytes,
    long shareMessages,
    long shareBytes,
    long senderMessages,
    long senderBytes) {

  /** Only the recipient's message count is limited (the others are unbounded). */
  public static QueueLimits ofMessages(long recipientMessages) {
    return new QueueLimits(
        recipientMessages,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        Long.MAX_VALUE);
  }
}
