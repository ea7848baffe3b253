package com.securecom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every benchmark in this module still runs: one short iteration of each, in this JVM, its set-up
 * and its own checks included. A benchmark whose set-up or check breaks (as {@link
 * RelayFastPathBenchmark}'s did, unnoticed, when the fast path's answers changed order) fails the
 * build instead of the next person who measures. Not a measurement: the figures are thrown away.
 */
class EveryBenchmarkRunsTest {
  @Test
  void eachBenchmarkCompletesOneShortIteration() throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("com\\.securecom\\.bench\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      ran.add(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
    }
    assertThat(ran)
        .as("every benchmark method (a new one belongs in this list)")
        .containsExactlyInAnyOrder(
            "Argon2Benchmark.argon2idOwaspMinimum",
            "Argon2Benchmark.argon2idClientProfile",
            "ChannelBenchmark.sealAndOpen1KiB",
            "ChannelBenchmark.serverHandshake",
            "GroupSendBenchmark.clientMakesTheFrame",
            "InboundFrameBenchmark.containerUnmasks",
            "InboundFrameBenchmark.fenceUnmasks",
            "GroupSendBenchmark.serverAcceptsAndDelivers",
            "PeerBenchmark.x3dhInitiate",
            "PeerBenchmark.ratchetEncrypt1KiB",
            "PeerBenchmark.textLineAsVerboseTimesIt",
            "PeerBenchmark.ratchetEncryptAndDecrypt1KiB",
            "RelayFastPathBenchmark.fastPath",
            "RelayFastPathBenchmark.channelOnly",
            "RelayFastPathBenchmark.clientFramesOnly",
            "RelayStoreBenchmark.threeBatches",
            "RelayStoreBenchmark.storeAndAckInOneBatch",
            "SendPathBenchmark.send",
            "SendPathBenchmark.sendPipedBatch",
            "SendPathBenchmark.wholeProfileWrite");
  }
}
