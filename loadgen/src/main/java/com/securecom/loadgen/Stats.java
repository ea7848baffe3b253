package com.securecom.loadgen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and the send-to-delivery latency histogram (microseconds), safe to update from any
 * thread.
 */
final class Stats {
  final LongAdder sent = new LongAdder();
  final LongAdder resent = new LongAdder();
  final LongAdder skipped = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final Map<String, LongAdder> disconnects = new ConcurrentHashMap<>();
  private final Recorder interval = new Recorder(3_600_000_000L, 3);
  final Histogram total = new Histogram(3_600_000_000L, 3);
  volatile boolean measuring;

  void latency(long micros) {
    delivered.increment();
    if (measuring) {
      interval.recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
    }
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** A connection ended that the generator did not close ({@code closed-1006}, ...). */
  void disconnect(String kind) {
    disconnects.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** The histogram since the last call; also folded into {@link #total}. */
  synchronized Histogram drainInterval() {
    Histogram h = interval.getIntervalHistogram();
    total.add(h);
    return h;
  }

  Map<String, Long> errorCounts() {
    return counts(errors);
  }

  Map<String, Long> disconnectCounts() {
    return counts(disconnects);
  }

  /** Errors and disconnects together: what the command line reports as errors. */
  Map<String, Long> problemCounts() {
    Map<String, Long> out = errorCounts();
    disconnectCounts().forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }

  private static Map<String, Long> counts(Map<String, LongAdder> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
