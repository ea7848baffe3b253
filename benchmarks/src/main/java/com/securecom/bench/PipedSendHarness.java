package com.securecom.bench;

import com.securecom.client.app.EncryptWarmup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.SendPacing;
import com.securecom.client.app.Vault;
import com.securecom.client.store.Argon2Params;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Issue 12's client target as stated: 1,000 lines piped into a fresh JVM, sent with the state on
 * disk, timed from the process's start. The parent makes a profile (Argon2id at the client's
 * default cost, a session with bob already started, as after {@code securecom send bob first}),
 * then starts a child JVM per run with 1,000 lines on its standard input. The child does what
 * {@code securecom send bob < lines.txt} does after parsing its command line: opens the profile
 * (Argon2id, with {@link EncryptWarmup} in the background as the command does), connects, reads the
 * lines in batches of up to 256 (one journal record, forced, per batch, before any of its envelopes
 * goes out), submits a batch while the ones before are still being answered (up to 4), waits for
 * every {@code accepted}, and closes (the journal folded into {@code state.bin}). The relay is in
 * the process and accepts at once, without a rate limit: this measures the client, not the network
 * or the server.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar com.securecom.bench.PipedSendHarness
 * [runs] [lines] [--compare]}; {@code --compare} alternates each run with one as the client sent
 * before 2026-11-30's change (no warm-up, each batch's answers awaited before the next is read).
 * Each run prints the milliseconds from the JVM's start to its {@code main}, to the open profile,
 * to the connection, to the last {@code accepted}, and to the closed profile, and the per-text
 * encryption times that {@code --verbose} prints (median, 90th percentile, the last quarter's
 * median, by hundreds; by thousands in a run of over 2,000 lines). {@code HARNESS_CHILD_OPTS}
 * (space-separated) are given to each child JVM, for JIT or JFR experiments.
 */
public final class PipedSendHarness {
  private PipedSendHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Path.of(args[1]), Long.parseLong(args[2]), args[3].equals("before"));
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    boolean compare = args.length > 2 && args[2].equals("--compare");
    String extra = System.getenv().getOrDefault("HARNESS_CHILD_OPTS", "").strip();
    List<String> childOptions = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    SendPathBenchmark bench = new SendPathBenchmark();
    bench.argon2 = Argon2Params.DEFAULT;
    bench.profiles(); // alice's profile on disk, bob pinned, a session with him started
    bench.closeProfiles();
    try {
      Files.writeString(
          bench.home.resolve("registry.json"),
          Json.createObjectBuilder()
              .add("identity", bench.registry.identity())
              .add("bundle", bench.registry.bundle())
              .build()
              .toString());
      StringBuilder input = new StringBuilder();
      for (int i = 1; i <= lines; i++) {
        input.append("message number ").append(i).append('\n');
      }
      Path in = bench.home.resolve("lines.txt");
      Files.writeString(in, input);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int run = 1; run <= runs * (compare ? 2 : 1); run++) {
        boolean before = compare && run % 2 == 1;
        long start = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(childOptions);
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                PipedSendHarness.class.getName(),
                "--child",
                bench.home.toString(),
                Long.toString(System.currentTimeMillis()),
                before ? "before" : "now"));
        Process child =
            new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = child.waitFor();
        System.out.printf(
            "run %d%s: exit %d, whole process %.0f ms; %s",
            run,
            before ? " (before: no warm-up, one batch at a time)" : "",
            code,
            (System.nanoTime() - start) / 1e6,
            out);
      }
    } finally {
      bench.deleteHome();
    }
  }

  /** One {@code securecom send bob < lines.txt}, minus the command line's parsing. */
  private static void child(Path home, long jvmStart, boolean before) throws Exception {
    // the parent's clock when it started this process (Linux's process start time is only as
    // exact as /proc/stat's boot time, a whole second)
    long main = System.currentTimeMillis() - jvmStart;
    JsonObject registry =
        Json.createReader(new StringReader(Files.readString(home.resolve("registry.json"))))
            .readObject();
    char[] passphrase = SendPathBenchmark.PASSPHRASE.clone();
    Vault vault;
    int warmed = 0;
    try (EncryptWarmup warmup = before ? null : EncryptWarmup.start()) {
      vault = Vault.open(home.resolve("alice"), passphrase);
      warmed = warmup == null ? 0 : warmup.encrypted();
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    long unlocked = System.currentTimeMillis() - jvmStart;
    List<Long> encrypt = new ArrayList<>();
    int sent = 0;
    long connected;
    long answered;
    try (vault;
        Messenger messenger =
            new Messenger(
                    vault,
                    new SendPathBenchmark.Registry(
                        registry.getJsonObject("identity"), registry.getJsonObject("bundle")),
                    SendPathBenchmark.AcceptingRelay::new,
                    new SecureRandom(),
                    Clock.systemUTC(),
                    new SendPathBenchmark.Quiet())
                .paceSends(SendPacing.NONE)
                .leaveIncomingQueued()) {
      messenger.connect();
      connected = System.currentTimeMillis() - jvmStart;
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Deque<Messenger.Submitted> inFlight = new ArrayDeque<>();
      for (List<String> batch = nextLines(in); !batch.isEmpty(); batch = nextLines(in)) {
        inFlight.add(messenger.submit("bob", batch));
        while (!inFlight.isEmpty()
            && (before || inFlight.size() > 4 || inFlight.peek().answered() || !in.ready())) {
          for (Messenger.Outcome outcome : inFlight.poll().outcomes()) {
            if (outcome.failure() != null) {
              throw outcome.failure();
            }
            encrypt.add(outcome.encrypt().toNanos());
            sent++;
          }
        }
      }
      answered = System.currentTimeMillis() - jvmStart;
    }
    long closed = System.currentTimeMillis() - jvmStart;
    int step = encrypt.size() > 2_000 ? 1_000 : 100; // a long run: by thousands
    StringBuilder bySteps = new StringBuilder();
    for (int i = 0; i < encrypt.size(); i += step) {
      bySteps
          .append(bySteps.length() == 0 ? "" : " ")
          .append(
              String.format(
                  "%.0f", median(encrypt.subList(i, Math.min(encrypt.size(), i + step))) / 1e3));
    }
    List<Long> lastQuarter = encrypt.subList(encrypt.size() - encrypt.size() / 4, encrypt.size());
    System.out.printf(
        "%d sent; warm-up %d texts; from JVM start: main %d ms, unlocked %d ms, connected %d ms, all"
            + " accepted %d ms,"
            + " closed %d ms (sending: %d ms); encrypt per text: first %.0f us, median %.0f us, p90"
            + " %.0f us, last quarter's median %.0f us, medians by %s [%s] us%n",
        sent,
        warmed,
        main,
        unlocked,
        connected,
        answered,
        closed,
        answered - connected,
        encrypt.isEmpty() ? 0 : encrypt.get(0) / 1e3,
        median(encrypt) / 1e3,
        percentile(encrypt, 0.9) / 1e3,
        median(lastQuarter) / 1e3,
        step == 100 ? "hundreds" : "thousands",
        bySteps);
    System.out.flush();
    System.exit(0); // no lingering threads
  }

  /** As SendCommand: the next non-blank line and those already waiting, up to 256. */
  private static List<String> nextLines(BufferedReader in) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = in.readLine(); line != null; ) {
      if (!line.isBlank()) {
        lines.add(line);
      }
      if ((lines.size() == 256 || !in.ready()) && !lines.isEmpty()) {
        break;
      }
      line = in.readLine();
    }
    return lines;
  }

  private static double median(List<Long> values) {
    return percentile(values, 0.5);
  }

  private static double percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
  }
}
