package com.securecom.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the server's heap from its MicroProfile metrics endpoint (Prometheus text), the
 * generator's own CPU time and, when the server runs on this machine and its process id is given,
 * the server's CPU time from /proc (Payara Micro 6 publishes no process CPU load). On a machine
 * that server and generator share, the two CPU figures together show when the machine, not the
 * server, is the limit.
 */
final class ServerMetrics {
  private static final Pattern HEAP =
      Pattern.compile("(?m)^(?:base_)?memory_usedHeap_bytes(?:\\{[^}]*})? ([0-9.eE+-]+)");
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI metrics;
  private final ProcessCpu server;
  private final ProcessCpu generator = new ProcessCpu(ProcessHandle.current().pid());
  private double maxHeap;

  ServerMetrics(URI server, long pid) {
    this.metrics = server.resolve("/metrics");
    this.server = new ProcessCpu(pid);
  }

  /** One sample; failures are ignored (metrics are optional). */
  synchronized void sample() {
    server.sample();
    generator.sample();
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      value(HEAP, body).ifPresent(v -> maxHeap = Math.max(maxHeap, v));
    } catch (Exception e) {
      // the server may not expose metrics; the report says n/a
    }
  }

  private static OptionalDouble value(Pattern p, String body) {
    Matcher m = p.matcher(body);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  synchronized String summary() {
    double serverCores = server.cores();
    double generatorCores = generator.cores();
    return (Double.isNaN(serverCores)
            ? "server CPU n/a (give --server-pid)"
            : String.format("server CPU %.2f cores (mean; 100 ticks/s)", serverCores))
        + (maxHeap == 0 ? ", heap n/a" : String.format(", heap max %.0f MiB", maxHeap / (1 << 20)))
        + (Double.isNaN(generatorCores)
            ? ""
            : String.format(", generator CPU %.2f cores", generatorCores));
  }

  /**
   * {@code serverCpuCores,serverHeapMiB,generatorCpuCores} for the CSV result line; empty fields
   * when not measured.
   */
  synchronized String csv() {
    return cores(server.cores())
        + ","
        + (maxHeap == 0 ? "" : String.format(Locale.ROOT, "%.0f", maxHeap / (1 << 20)))
        + ","
        + cores(generator.cores());
  }

  private static String cores(double cores) {
    return Double.isNaN(cores) ? "" : String.format(Locale.ROOT, "%.2f", cores);
  }
}
