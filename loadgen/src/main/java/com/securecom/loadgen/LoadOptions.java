package com.securecom.loadgen;

import com.securecom.protocol.wire.WireMessage;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * What a {@link LoadRun} does: how many users, against which server, at what rate, for how long.
 * These are the command line's options ({@link LoadGenerator} mixes them in): each setter carries
 * its picocli {@link Option}, whose {@code defaultValue} is the one default, for the command line
 * and for {@link #defaults()} alike. Every setter returns this options object, so a test reads
 * {@code
 * LoadOptions.defaults().server(uri).users(10).rate(200).duration(Duration.ofSeconds(3)).warmup(Duration.ZERO)}.
 */
public final class LoadOptions {
  private URI server;
  private int users;
  private int rate;
  private int window;
  private Duration duration;
  private Duration warmup;
  private int size;
  private int senders;
  private boolean bare;
  private boolean acknowledged;
  private boolean reconnect;
  private Duration ackDelay;
  private int relayVersion;
  private boolean trackMessages = true;
  private String prefix;
  private String password;

  /** Picocli fills these in; {@link #defaults()} is the way to a ready set of options. */
  LoadOptions() {}

  /**
   * The options as the command line has them when none is given (message ids tracked: see {@link
   * #trackMessages}).
   */
  public static LoadOptions defaults() {
    return CommandLine.populateCommand(new LoadOptions());
  }

  /** The server's base URL. */
  public URI server() {
    return server;
  }

  @Option(
      names = "--server",
      defaultValue = "http://localhost:8080/",
      description = "Server URL (default: ${DEFAULT-VALUE}).")
  public LoadOptions server(URI server) {
    this.server = Objects.requireNonNull(server);
    return this;
  }

  /** Simulated users, one connection each. */
  public int users() {
    return users;
  }

  @Option(
      names = "--users",
      defaultValue = "100",
      description = "Simulated users, one connection each (default: ${DEFAULT-VALUE}).")
  public LoadOptions users(int users) {
    if (users < 2) {
      throw new IllegalArgumentException("at least 2 users (they send to each other)");
    }
    this.users = users;
    return this;
  }

  /**
   * Target messages per second in total (open loop); 0 = as fast as each user's {@link #window()}
   * allows.
   */
  public int rate() {
    return rate;
  }

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description =
          "Target messages per second in total; 0 = as fast as the windows allow"
              + " (default: ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--window",
      defaultValue = "10",
      description = "Messages in flight per user (closed loop) (default: ${DEFAULT-VALUE}).")
  public LoadOptions window(int window) {
    this.window = window;
    return this;
  }

  /** How long to send after the warm-up (the measured time). */
  public Duration duration() {
    return duration;
  }

  @Option(
      names = "--duration",
      defaultValue = "60",
      converter = Seconds.class,
      paramLabel = "<seconds>",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  public LoadOptions duration(Duration duration) {
    this.duration = Objects.requireNonNull(duration);
    return this;
  }

  /** How long to send before measuring. */
  public Duration warmup() {
    return warmup;
  }

  @Option(
      names = "--warmup",
      defaultValue = "10",
      converter = Seconds.class,
      paramLabel = "<seconds>",
      description = "Unmeasured seconds first (default: ${DEFAULT-VALUE}).")
  public LoadOptions warmup(Duration warmup) {
    this.warmup = Objects.requireNonNull(warmup);
    return this;
  }

  /** Envelope bytes (at least 12 plus the message id). */
  public int size() {
    return size;
  }

  @Option(
      names = "--size",
      defaultValue = "1024",
      description = "Envelope bytes (default: ${DEFAULT-VALUE}).")
  public LoadOptions size(int size) {
    this.size = size;
    return this;
  }

  /** Sending threads. */
  public int senders() {
    return senders;
  }

  @Option(
      names = "--senders",
      defaultValue = "4",
      description = "Sending threads (default: ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--bare",
      defaultValue = "false",
      description = "Use the bare baseline relay (plain frames at /bare/{user}).")
  public LoadOptions bare(boolean bare) {
    this.bare = bare;
    return this;
  }

  /**
   * With {@link #bare()}: every message is answered by its recipient with a small acknowledgement
   * frame that the bare relay forwards to the sender, so that a message costs the four frames of
   * SecureCom's fast path ({@code send}, {@code deliver}, {@code ack}, {@code relayed}) and nothing
   * else: the frame ceiling of any relay that acknowledges each message.
   */
  public boolean acknowledged() {
    return acknowledged;
  }

  @Option(
      names = "--acknowledged",
      defaultValue = "false",
      description =
          "With --bare: each recipient acknowledges each message through the relay to its sender"
              + " (four frames per message, as SecureCom's fast path).")
  public LoadOptions acknowledged(boolean acknowledged) {
    this.acknowledged = acknowledged;
    return this;
  }

  /**
   * Whether a relay user whose connection ends reconnects (with its token, or after logging in
   * again if the server refuses it) and sends again what the server had not answered. Without it a
   * closed connection stays closed.
   */
  public boolean reconnect() {
    return reconnect;
  }

  @Option(
      names = "--reconnect",
      defaultValue = "false",
      description =
          "Reconnect a user whose connection ends, send"
              + " again what the server had not answered, and report messages not delivered and duplicates removed.")
  public LoadOptions reconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /**
   * How long a relay user waits after a {@code deliver} before it acknowledges it (zero: at once,
   * as a client does). A delay holds messages on the server's fast path, delivered and not yet
   * acknowledged (the crash test kills the server then).
   */
  public Duration ackDelay() {
    return ackDelay;
  }

  @Option(
      names = "--ack-delay",
      defaultValue = "0",
      converter = Millis.class,
      paramLabel = "<milliseconds>",
      description =
          "Wait this long before acknowledging each delivery (default: ${DEFAULT-VALUE}).")
  public LoadOptions ackDelay(Duration ackDelay) {
    this.ackDelay = Objects.requireNonNull(ackDelay);
    return this;
  }

  /**
   * The relay message version each relay user offers in {@code auth}: the newest by default; 2
   * measures the server as version 2 clients use it (a fast-path message answered {@code delivered}
   * and {@code accepted}, and the {@code receiptAck} sent back), 3 with {@code relayed}.
   */
  public int relayVersion() {
    return relayVersion;
  }

  /**
   * The newest relay message version the generator speaks: its users have one device each, which
   * version 4 (linked devices) would only address more verbosely.
   */
  static final int NEWEST_RELAY_VERSION = WireMessage.DEVICES_VERSION - 1;

  @Option(
      names = "--relay-version",
      defaultValue = "" + NEWEST_RELAY_VERSION,
      paramLabel = "<1.." + NEWEST_RELAY_VERSION + ">",
      description = "The relay message version to offer (default: ${DEFAULT-VALUE}, the newest).")
  public LoadOptions relayVersion(int relayVersion) {
    if (relayVersion < 1 || relayVersion > NEWEST_RELAY_VERSION) {
      throw new IllegalArgumentException("--relay-version must be 1 to " + NEWEST_RELAY_VERSION);
    }
    this.relayVersion = relayVersion;
    return this;
  }

  /**
   * Whether each relay user keeps its ledger of message ids (sent, accepted, delivered: see {@link
   * LoadResult}), which removes duplicate deliveries and lets a reconnecting user send again what
   * had no answer. Without it only the counters are kept (less memory for long benchmark runs) and
   * every delivery counts.
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

  @Option(
      names = "--prefix",
      defaultValue = "lg",
      description = "User name prefix (default: ${DEFAULT-VALUE}).")
  public LoadOptions prefix(String prefix) {
    this.prefix = Objects.requireNonNull(prefix);
    return this;
  }

  /** Every simulated user's password. */
  public String password() {
    return password;
  }

  @Option(
      names = "--password",
      defaultValue = "load generator password",
      description = "Users' password (default: ${DEFAULT-VALUE}).")
  public LoadOptions password(String password) {
    this.password = Objects.requireNonNull(password);
    return this;
  }

  /** {@code --duration 60}: whole seconds, as the command line has always taken them. */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Duration.ofSeconds(Integer.parseInt(value));
    }
  }

  static final class Millis implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Duration.ofMillis(Long.parseLong(value));
    }
  }
}
