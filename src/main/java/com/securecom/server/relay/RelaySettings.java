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
  @ConfigProperty(name = "securecom.channel.max-pending-sends", defaultValue = "4096")
  int maxPendingSends;

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

  public int maxPendingSends() {
    return maxPendingSends;
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
