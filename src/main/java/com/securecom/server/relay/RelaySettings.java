package com.securecom.server.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The relay's limits, from MicroProfile Config; the defaults are listed in the README. */
@ApplicationScoped
public class RelaySettings {
  @Inject
  @ConfigProperty(name = "securecom.relay.max-envelope-bytes", defaultValue = "65536")
  int maxEnvelopeBytes;

  @Inject
  @ConfigProperty(name = "securecom.channel.max-frame-bytes", defaultValue = "98304")
  int maxFrameBytes;

  @Inject
  @ConfigProperty(name = "securecom.channel.rate.per-second", defaultValue = "100")
  int messagesPerSecond;

  @Inject
  @ConfigProperty(name = "securecom.channel.rate.burst", defaultValue = "200")
  int burst;

  @Inject
  @ConfigProperty(name = "securecom.channel.idle-timeout", defaultValue = "PT5M")
  Duration idleTimeout;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-queue", defaultValue = "1000")
  int maxQueue;

  @Inject
  @ConfigProperty(name = "securecom.relay.ttl", defaultValue = "P30D")
  Duration ttl;

  @Inject
  @ConfigProperty(name = "securecom.channel.max-pending-bytes", defaultValue = "2097152")
  int maxPendingBytes;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-queue-bytes", defaultValue = "16777216")
  long maxQueueBytes;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-queue-per-sender", defaultValue = "200")
  int maxQueuePerSender;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-queue-bytes-per-sender", defaultValue = "4194304")
  long maxQueueBytesPerSender;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-sender-messages", defaultValue = "5000")
  int maxSenderMessages;

  @Inject
  @ConfigProperty(name = "securecom.relay.max-sender-bytes", defaultValue = "67108864")
  long maxSenderBytes;

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
