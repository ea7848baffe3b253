package com.securecom.server.relay;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/** The relay's MicroProfile metrics (application registry, prefix {@code securecom_}). */
@ApplicationScoped
public class RelayMetrics {
  static final Duration QUEUED_REFRESH = Duration.ofSeconds(15);
  private MetricRegistry registry;
  private ConnectionRegistry connections;
  private MessageRepository messages;
  private FastPath waitingForAcks;
  private long queued;
  private long queuedAt;
  private Histogram handshakes;
  private Counter accepted;
  private Counter delivered;
  private Counter fastPath;
  private Counter commits;
  private Counter committedWrites;

  protected RelayMetrics() {}

  @Inject
  public RelayMetrics(
      MetricRegistry registry,
      ConnectionRegistry connections,
      MessageRepository messages,
      FastPath waitingForAcks) {
    this.registry = registry;
    this.connections = connections;
    this.messages = messages;
    this.waitingForAcks = waitingForAcks;
  }

  @PostConstruct
  void register() {
    // A histogram of microseconds, not a Timer: Payara's exporter printed a Timer's quantiles in
    // nanoseconds and its sum in seconds; a histogram's quantiles and sum come from the same
    // values.
    handshakes =
        registry.histogram(
            Metadata.builder()
                .withName("securecom_channel_handshake_microseconds")
                .withDescription(
                    "Server-side time of the channel handshake (X25519 + Ed25519 signature + HKDF),"
                        + " in microseconds (quantiles, sum and max alike)")
                .withUnit(MetricUnits.NONE)
                .build());
    accepted =
        registry.counter(
            Metadata.builder()
                .withName("securecom_messages_accepted")
                .withDescription(
                    "Messages answered 'accepted' (stored durably, or acknowledged by their recipient)")
                .build());
    delivered =
        registry.counter(
            Metadata.builder()
                .withName("securecom_messages_delivered")
                .withDescription("Messages acknowledged by their recipient")
                .build());
    fastPath =
        registry.counter(
            Metadata.builder()
                .withName("securecom_messages_fast_path")
                .withDescription(
                    "Messages acknowledged by their recipient before they were stored (never written)")
                .build());
    commits =
        registry.counter(
            Metadata.builder()
                .withName("securecom_relay_commits")
                .withDescription("Transactions the relay's group commit made")
                .build());
    committedWrites =
        registry.counter(
            Metadata.builder()
                .withName("securecom_relay_committed_writes")
                .withDescription(
                    "Writes (stores, acknowledgements, receipt deletions) in those transactions")
                .build());
    registry.gauge(
        Metadata.builder()
            .withName("securecom_connections")
            .withDescription("Open authenticated WebSocket connections")
            .build(),
        connections,
        ConnectionRegistry::size);
    registry.gauge(
        Metadata.builder()
            .withName("securecom_relay_fast_path_bytes")
            .withDescription(
                "Bytes of envelopes (binary and base64) delivered before they were stored and"
                    + " waiting for their ack; at securecom.relay.fast-path-max-bytes, messages are"
                    + " stored first")
            .build(),
        waitingForAcks,
        FastPath::bytesWaiting);
    registry.gauge(
        Metadata.builder()
            .withName("securecom_relay_fast_path_over_budget")
            .withDescription(
                "Messages stored first since start-up (it only rises) because the envelopes"
                    + " waiting for their ack held securecom.relay.fast-path-max-bytes")
            .build(),
        waitingForAcks,
        FastPath::refusedOverBudget);
    registry.gauge(
        Metadata.builder()
            .withName("securecom_messages_queued")
            .withDescription(
                "Messages stored and not yet acknowledged by their recipient (counted at most every "
                    + QUEUED_REFRESH.toSeconds()
                    + " s)")
            .build(),
        this,
        RelayMetrics::queued);
  }

  /**
   * The queued-message count, from a count of the whole table at most every {@link
   * #QUEUED_REFRESH}: a scrape every second must not cost a table scan every second.
   */
  private synchronized long queued() {
    long now = System.nanoTime();
    if (queuedAt == 0 || now - queuedAt >= QUEUED_REFRESH.toNanos()) {
      queued = messages.countPending();
      queuedAt = now;
    }
    return queued;
  }

  /** Called at start-up so that the metrics exist (at zero) before the first connection. */
  public void ensureRegistered() {
    // creating the bean registered them
  }

  public void handshake(long nanos) {
    handshakes.update(nanos / 1_000);
  }

  void accepted() {
    accepted.inc();
  }

  void delivered() {
    delivered.inc();
  }

  void fastPath() {
    fastPath.inc();
  }

  /** One group-commit transaction of {@code writes} writes. */
  void committed(int writes) {
    commits.inc();
    committedWrites.inc(writes);
  }

  /** A frame that ended its connection, by the reason's close code. */
  public void rejected(int closeCode) {
    registry
        .counter(
            Metadata.builder()
                .withName("securecom_frames_rejected")
                .withDescription("Frames that closed their connection, by close code")
                .build(),
            new Tag("code", Integer.toString(closeCode)))
        .inc();
  }
}
