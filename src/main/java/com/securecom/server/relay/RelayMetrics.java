package com.securecom.server.relay;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/** The relay's MicroProfile metrics (application registry, prefix {@code securecom_}). */
@ApplicationScoped
public class RelayMetrics {
  @Inject
  MetricRegistry registry;

  @Inject
  ConnectionRegistry connections;

  @Inject
  MessageRepository messages;

  private Timer handshakes;
  private Counter accepted;
  private Counter delivered;

  @PostConstruct
  void register() {
    handshakes = registry.timer(Metadata.builder().withName("securecom_channel_handshake")
        .withDescription("Server-side time of the channel handshake (X25519 + Ed25519 signature + HKDF)")
        .build());
    accepted = registry.counter(Metadata.builder().withName("securecom_messages_accepted")
        .withDescription("Messages stored durably and answered 'accepted'").build());
    delivered = registry.counter(Metadata.builder().withName("securecom_messages_delivered")
        .withDescription("Messages acknowledged by their recipient").build());
    registry.gauge(Metadata.builder().withName("securecom_connections")
        .withDescription("Open authenticated WebSocket connections").build(), connections, ConnectionRegistry::size);
    registry.gauge(Metadata.builder().withName("securecom_messages_queued")
        .withDescription("Messages stored and not yet acknowledged by their recipient").build(),
        messages, MessageRepository::countPending);
  }

  /** Called at start-up so that the metrics exist (at zero) before the first connection. */
  public void ensureRegistered() {
    // creating the bean registered them
  }

  void handshake(long nanos) {
    handshakes.update(Duration.ofNanos(nanos));
  }

  void accepted() {
    accepted.inc();
  }

  void delivered() {
    delivered.inc();
  }

  /** A frame that ended its connection, by the reason's close code. */
  void rejected(int closeCode) {
    registry.counter(Metadata.builder().withName("securecom_frames_rejected")
        .withDescription("Frames that closed their connection, by close code").build(),
        new Tag("code", Integer.toString(closeCode))).inc();
  }
}
