package com.securecom.it.support;

import com.securecom.testkit.PayaraMicro;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Payara Micro running the built WAR without clustering, with the configuration a test needs
 * (limits, timeouts, its own database), as a child process: for tests whose settings differ from
 * the shared Arquillian container's, and for measurements of the server's heap ({@link
 * #heapUsedAfterFullGc()} through {@code jcmd}). The test kit's {@link PayaraMicro} does the work;
 * this adds the server tests' {@link Api}.
 */
public final class PayaraServer implements AutoCloseable {
  private final PayaraMicro server;

  private PayaraServer(PayaraMicro server) {
    this.server = server;
  }

  /**
   * Starts the WAR of {@code securecom.war} in {@code directory} with these system properties;
   * waits until ready.
   */
  public static PayaraServer start(Path directory, Map<String, String> properties)
      throws Exception {
    return start(directory, properties, List.of());
  }

  /** The same, with more Payara Micro options (e.g. {@code --logproperties FILE}). */
  public static PayaraServer start(
      Path directory, Map<String, String> properties, List<String> payaraOptions) throws Exception {
    return new PayaraServer(
        PayaraMicro.in(directory)
            .properties(properties)
            .payaraOptions(payaraOptions)
            .withHazelcast()
            .start());
  }

  /** The test kit's server, for what this class does not say itself (kill, restart, metrics). */
  public PayaraMicro payara() {
    return server;
  }

  public Api api() {
    try {
      return new Api(server.uri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long pid() {
    return server.pid();
  }

  public Path log() {
    return server.log();
  }

  /**
   * The server's used heap in bytes right after a full collection ({@code jcmd GC.run}, then {@code
   * GC.heap_info}).
   */
  public long heapUsedAfterFullGc() throws IOException, InterruptedException {
    return server.heapUsedAfterFullGc();
  }

  /** The log so far. */
  public String logText() throws IOException {
    return server.logText();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
