package com.securecom.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the server's heap from its MicroProfile metrics endpoint (Prometheus text) and, when the
 * server runs on this machine and its process id is given, its CPU time from /proc (Payara Micro 6
 * publishes no process CPU load).
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
  private final long pid;
  private double maxHeap;
  private long cpuTicksAtStart = -1;
  private long cpuTicksAtEnd;
  private long wallStart;
  private long wallEnd;

  ServerMetrics(URI server, long pid) {
    this.metrics = server.resolve("/metrics");
    this.pid = pid;
  }

  /** utime + stime of the server process in clock ticks, or -1. */
  private long cpuTicks() {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  /** One sample; failures are ignored (metrics are optional). */
  synchronized void sample() {
    long ticks = cpuTicks();
    if (ticks >= 0) {
      if (cpuTicksAtStart < 0) {
        cpuTicksAtStart = ticks;
        wallStart = System.nanoTime();
      }
      cpuTicksAtEnd = ticks;
      wallEnd = System.nanoTime();
    }
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
    double seconds = (wallEnd - wallStart) / 1e9;
    String cpu =
        cpuTicksAtStart < 0 || seconds <= 0
            ? "server CPU n/a (give --server-pid)"
            : String.format(
                "server CPU %.2f cores (mean; 100 ticks/s)",
                (cpuTicksAtEnd - cpuTicksAtStart) / 100.0 / seconds);
    return cpu
        + (maxHeap == 0 ? ", heap n/a" : String.format(", heap max %.0f MiB", maxHeap / (1 << 20)));
  }

  /** {@code cpuCores,heapMiB} for the CSV result line; empty fields when not measured. */
  synchronized String csv() {
    double seconds = (wallEnd - wallStart) / 1e9;
    String cpu =
        cpuTicksAtStart < 0 || seconds <= 0
            ? ""
            : String.format(
                java.util.Locale.ROOT, "%.2f", (cpuTicksAtEnd - cpuTicksAtStart) / 100.0 / seconds);
    return cpu
        + ","
        + (maxHeap == 0 ? "" : String.format(java.util.Locale.ROOT, "%.0f", maxHeap / (1 << 20)));
  }
}
