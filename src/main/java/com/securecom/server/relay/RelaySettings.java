package com.securecom.server.relay;

import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.wire.WireMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The relay's limits, from MicroProfile Config; the defaults are listed in the README. */
@ApplicationScoped
public class RelaySettings {
  int maxEnvelopeBytes;
  int maxFrameBytes;
  int messagesPerSecond;
  int burst;
  Duration idleTimeout;
  int maxQueue;
  Duration ttl;
  int maxPendingBytes;
  long maxQueueBytes;
  int maxQueuePerSender;
  long maxQueueBytesPerSender;
  int maxSenderMessages;
  long maxSenderBytes;
  Duration fastPathWindow;
  long fastPathMaxBytes = 64L << 20;
  int maxCopies = WireMessage.MAX_COPIES;
  int maxSendUsers = 256;
  int maxSendBytes = 737_280;
  int maxSendFrameBytes = 1 << 20;

  /**
   * The limits of a {@code send} with copies (relay message versions 4 and 5), from MicroProfile
   * Config: at most {@code maxCopies} copies (1 to 1,024; a version 4 connection at most 32 of
   * them) to at most {@code maxSendUsers} users besides the sender (1 to 1,024; version 5, a
   * version 4 connection one), whose decoded envelopes together are at most {@code maxSendBytes},
   * in a frame of at most {@code maxSendFrameBytes} (at least the frame limit of the earlier
   * versions, at most the channel's 1 MiB ceiling).
   */
  @Inject
  void sendLimits(
      @ConfigProperty(name = "securecom.relay.max-copies", defaultValue = "1024") int maxCopies,
      @ConfigProperty(name = "securecom.relay.max-send-users", defaultValue = "256")
          int maxSendUsers,
      @ConfigProperty(name = "securecom.relay.max-send-bytes", defaultValue = "737280")
          int maxSendBytes,
      @ConfigProperty(name = "securecom.channel.max-send-frame-bytes", defaultValue = "1048576")
          int maxSendFrameBytes) {
    if (maxCopies < 1 || maxCopies > WireMessage.MAX_COPIES) {
      throw new IllegalArgumentException("securecom.relay.max-copies must be 1 to 1024");
    }
    if (maxSendUsers < 1 || maxSendUsers > WireMessage.MAX_COPIES) {
      throw new IllegalArgumentException("securecom.relay.max-send-users must be 1 to 1024");
    }
    if (maxSendBytes < 1) {
      throw new IllegalArgumentException("securecom.relay.max-send-bytes must be positive");
    }
    if (maxSendFrameBytes < maxFrameBytes || maxSendFrameBytes > 1 << 20) {
      throw new IllegalArgumentException(
          "securecom.channel.max-send-frame-bytes must be securecom.channel.max-frame-bytes to"
              + " 1048576");
    }
    this.maxCopies = maxCopies;
    this.maxSendUsers = maxSendUsers;
    this.maxSendBytes = maxSendBytes;
    this.maxSendFrameBytes = maxSendFrameBytes;
  }

  /**
   * What a {@code send} with copies may carry on a connection of relay message {@code version} (4
   * or more): {@code securecom.relay.max-copies} and {@code securecom.relay.max-send-users} at
   * version 5, the version 4 rules below it ({@link Fanout.Limits}).
   */
  public Fanout.Limits fanoutLimits(int version) {
    return new Fanout.Limits(version, maxCopies, maxSendUsers);
  }

  /** The most decoded envelope bytes a version 4 {@code send} may carry, all copies together. */
  public int maxSendBytes() {
    return maxSendBytes;
  }

  /** The largest frame a version 4 connection may send after {@code ready}. */
  public int maxSendFrameBytes() {
    return maxSendFrameBytes;
  }

  /**
   * How many bytes of envelopes may wait on the fast path in all (see {@link FastPath}), from
   * MicroProfile Config; positive.
   */
  @Inject
  void fastPathLimit(
      @ConfigProperty(name = "securecom.relay.fast-path-max-bytes", defaultValue = "67108864")
          long fastPathMaxBytes) {
    if (fastPathMaxBytes < 1) {
      throw new IllegalArgumentException("securecom.relay.fast-path-max-bytes must be positive");
    }
    this.fastPathMaxBytes = fastPathMaxBytes;
  }

  /** The defaults, as a server without configuration has them (for tests). */
  public RelaySettings() {
    this(
        65536,
        98304,
        100,
        200,
        Duration.ofMinutes(5),
        1000,
        Duration.ofDays(30),
        2097152,
        16777216L,
        200,
        4194304L,
        5000,
        67108864L,
        Duration.ofSeconds(2));
  }

  @Inject
  public RelaySettings(
      @ConfigProperty(name = "securecom.relay.max-envelope-bytes", defaultValue = "65536")
          int maxEnvelopeBytes,
      @ConfigProperty(name = "securecom.channel.max-frame-bytes", defaultValue = "98304")
          int maxFrameBytes,
      @ConfigProperty(name = "securecom.channel.rate.per-second", defaultValue = "100")
          int messagesPerSecond,
      @ConfigProperty(name = "securecom.channel.rate.burst", defaultValue = "200") int burst,
      @ConfigProperty(name = "securecom.channel.idle-timeout", defaultValue = "PT5M")
          Duration idleTimeout,
      @ConfigProperty(name = "securecom.relay.max-queue", defaultValue = "1000") int maxQueue,
      @ConfigProperty(name = "securecom.relay.ttl", defaultValue = "P30D") Duration ttl,
      @ConfigProperty(name = "securecom.channel.max-pending-bytes", defaultValue = "2097152")
          int maxPendingBytes,
      @ConfigProperty(name = "securecom.relay.max-queue-bytes", defaultValue = "16777216")
          long maxQueueBytes,
      @ConfigProperty(name = "securecom.relay.max-queue-per-sender", defaultValue = "200")
          int maxQueuePerSender,
      @ConfigProperty(name = "securecom.relay.max-queue-bytes-per-sender", defaultValue = "4194304")
          long maxQueueBytesPerSender,
      @ConfigProperty(name = "securecom.relay.max-sender-messages", defaultValue = "5000")
          int maxSenderMessages,
      @ConfigProperty(name = "securecom.relay.max-sender-bytes", defaultValue = "67108864")
          long maxSenderBytes,
      @ConfigProperty(name = "securecom.relay.fast-path-window", defaultValue = "PT2S")
          Duration fastPathWindow) {
    this.maxEnvelopeBytes = maxEnvelopeBytes;
    this.maxFrameBytes = maxFrameBytes;
    this.messagesPerSecond = messagesPerSecond;
    this.burst = burst;
    this.idleTimeout = idleTimeout;
    this.maxQueue = maxQueue;
    this.ttl = ttl;
    this.maxPendingBytes = maxPendingBytes;
    this.maxQueueBytes = maxQueueBytes;
    this.maxQueuePerSender = maxQueuePerSender;
    this.maxQueueBytesPerSender = maxQueueBytesPerSender;
    this.maxSenderMessages = maxSenderMessages;
    this.maxSenderBytes = maxSenderBytes;
    this.fastPathWindow = fastPathWindow;
  }

  /**
   * How long a message delivered at once to an online recipient may wait for the recipient's {@code
   * ack} before it is stored instead (docs/protocol.md, "Sending"); zero turns the fast path off,
   * so every message is stored before {@code accepted}.
   */
  public Duration fastPathWindow() {
    return fastPathWindow;
  }

  /**
   * The most bytes of envelopes (binary and base64) that may wait on the fast path at once (over
   * it: stored first).
   */
  public long fastPathMaxBytes() {
    return fastPathMaxBytes;
  }

  public int maxEnvelopeBytes() {
    return maxEnvelopeBytes;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public int maxQueue() {
    return maxQueue;
  }

  public Duration ttl() {
    return ttl;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Bytes of sealed frames queued to one client that it has not read yet; over it the client is
   * dropped (1008). At least four maximal frames, whatever is configured, so that catch-up (which
   * fills half of it) always fits.
   */
  public int maxPendingBytes() {
    return Math.max(maxPendingBytes, 4 * (maxFrameBytes + 64));
  }

  /** The limits a {@code send} is stored within. */
  public QueueLimits queueLimits() {
    return new QueueLimits(
        maxQueue,
        maxQueueBytes,
        maxQueuePerSender,
        maxQueueBytesPerSender,
        maxSenderMessages,
        maxSenderBytes);
  }

  /** The burst size; a connection regains {@code messagesPerSecond} per second up to it. */
  public int burst() {
    return Math.max(burst, 1);
  }

  /** The time in which an empty bucket refills completely. */
  public Duration refillPeriod() {
    return Duration.ofMillis(Math.max(1, 1000L * burst() / Math.max(messagesPerSecond, 1)));
  }
}
