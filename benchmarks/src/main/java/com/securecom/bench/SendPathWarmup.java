package com.securecom.bench;

import com.securecom.client.app.Messenger;
import java.util.List;

/**
 * What {@code securecom send --verbose} shows as a process warms up: {@link SendPathBenchmark}'s
 * piped batches of 100 texts, one after another in a fresh JVM, printing the mean encryption time
 * per text (the figure {@code --verbose} prints per message) and the whole batch's time per text.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar com.securecom.bench.SendPathWarmup}.
 */
public final class SendPathWarmup {
  private SendPathWarmup() {}

  public static void main(String[] args) throws Exception {
    SendPathBenchmark bench = new SendPathBenchmark();
    bench.profiles();
    try {
      for (int batch = 0; batch < 60; batch++) {
        long start = System.nanoTime();
        List<Messenger.Outcome> sent = bench.sendPipedBatch();
        long wall = System.nanoTime() - start;
        long encrypt = sent.stream().mapToLong(o -> o.encrypt().toNanos()).sum();
        if (batch < 3 || batch % 5 == 0) {
          System.out.printf(
              "texts %5d-%5d: encrypt %7.1f us per text, whole batch %.2f ms per text%n",
              batch * sent.size() + 1,
              (batch + 1) * sent.size(),
              encrypt / 1e3 / sent.size(),
              wall / 1e6 / sent.size());
        }
      }
    } finally {
      bench.removeProfiles();
    }
  }
}
