package com.securecom.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link LoadRun} does: how many users, against which server, at what rate, for how long. The defaults are
 * those of the command line ({@link LoadGenerator}); every setter returns this options object, so a test reads
 * {@code new LoadOptions().server(uri).users(10).rate(200).duration(Duration.ofSeconds(3)).warmup(Duration.ZERO)}.
 */
public final class LoadOptions {
  private URI server = URI.create("http://localhost:8080/");
  private int users = 100;
  private int rate = 1000;
  private int window = 10;
  private Duration duration = Duration.ofSeconds(60);
  private Duration warmup = Duration.ofSeconds(10);
  private int size = 1024;
  private int senders = 4;
  private boolean bare;
  private boolean reconnect;
  private boolean trackMessages = true;
  private String prefix = "lg";
  private String password = "load generator password";

  /** The server's base URL. */
  public URI server() {
    return server;
  }

  public LoadOptions server(URI server) {
    this.server = Objects.requireNonNull(server);
    return this;
  }

  /** Simulated users, one connection each. */
  public int users() {
    return users;
  }

  public LoadOptions users(int users) {
    if (users < 2) {
      throw new IllegalArgumentException("at least 2 users (they send to each other)");
    }
    this.users = users;
    return this;
  }

  /** Target messages per second in total (open loop); 0 = as fast as each user's {@link #window()} allows. */
  public int rate() {
    return rate;
  }

  public LoadOptions rate(int rate) {
    if (rate < 0) {
      throw new IllegalArgumentException("rate must be 0 or more");
    }
    this.rate = rate;
    return this;
  }

  /** Messages in flight per user when {@link #rate()} is 0 (closed loop). */
  public int window() {
    return window;
  }

  public LoadOptions window(int window) {
    this.window = window;
    return this;
  }

  /** How long to send after the warm-up (the measured time). */
  public Duration duration() {
    return duration;
  }

  public LoadOptions duration(Duration duration) {
    this.duration = Objects.requireNonNull(duration);
    return this;
  }

  /** How long to send before measuring. */
  public Duration warmup() {
    return warmup;
  }

  public LoadOptions warmup(Duration warmup) {
    this.warmup = Objects.requireNonNull(warmup);
    return this;
  }

  /** Envelope bytes (at least 12 plus the message id). */
  public int size() {
    return size;
  }

  public LoadOptions size(int size) {
    this.size = size;
    return this;
  }

  /** Sending threads. */
  public int senders() {
    return senders;
  }

  public LoadOptions senders(int senders) {
    if (senders < 1) {
      throw new IllegalArgumentException("at least one sending thread");
    }
    this.senders = senders;
    return this;
  }

  /** Plain frames to the bare baseline relay at {@code /bare/{user}} instead of the real relay. */
  public boolean bare() {
    return bare;
  }

  public LoadOptions bare(boolean bare) {
    this.bare = bare;
    return this;
  }

  /**
   * Whether a relay user whose connection ends reconnects (with its token, or after logging in again if the server
   * refuses it) and sends again what the server had not answered. Without it a closed connection stays closed.
   */
  public boolean reconnect() {
    return reconnect;
  }

  public LoadOptions reconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /**
   * Whether each relay user keeps its ledger of message ids (sent, accepted, delivered: see {@link LoadResult}),
   * which removes duplicate deliveries and lets a reconnecting user send again what had no answer. Without it
   * only the counters are kept (less memory for long benchmark runs) and every delivery counts.
   */
  public boolean trackMessages() {
    return trackMessages;
  }

  public LoadOptions trackMessages(boolean trackMessages) {
    this.trackMessages = trackMessages;
    return this;
  }

  /** User names are {@code prefix-0}, {@code prefix-1}, ... */
  public String prefix() {
    return prefix;
  }

  public LoadOptions prefix(String prefix) {
    this.prefix = Objects.requireNonNull(prefix);
    return this;
  }

  /** Every simulated user's password. */
  public String password() {
    return password;
  }

  public LoadOptions password(String password) {
    this.password = Objects.requireNonNull(password);
    return this;
  }
}
