package com.securecom.loadgen.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.securecom.loadgen.LoadGenerator;
import com.securecom.loadgen.LoadOptions;
import com.securecom.loadgen.LoadResult;
import com.securecom.loadgen.LoadRun;
import com.securecom.testkit.PayaraMicro;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The generator against a real server for a few seconds, as a test uses it: ten users send to each
 * other at 200 messages per second for three seconds. Every message must be accepted and delivered
 * once, with nothing going wrong on the way. Speed is not checked here. The command line still
 * works too.
 */
class LoadSmokeIT {
  private static PayaraMicro server;

  @BeforeAll
  static void startServer() throws Exception {
    Path work = WorkDirectories.create(LoadSmokeIT.class);
    server =
        PayaraMicro.in(work)
            .database(TestDatabase.h2(work.resolve("db")))
            .serverKey(work.resolve("server.key"))
            .generousLimits()
            .start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyMessageSentIsAcceptedAndDeliveredOnce() throws Exception {
    LoadOptions options =
        LoadOptions.defaults()
            .server(server.uri())
            .prefix("smoke")
            .users(10)
            .rate(200)
            .warmup(Duration.ZERO)
            .duration(Duration.ofSeconds(3));
    try (LoadRun run = LoadRun.connect(options, System.out)) {
      run.startSending();
      run.awaitSendingFinished();
      boolean settled = run.awaitSettled(Duration.ofSeconds(30));
      LoadResult result = run.result();
      System.out.println("smoke run: " + result.summary());

      assertAll(
          () -> assertTrue(result.sent() > 0, "the generator sent nothing"),
          () -> assertEquals(Map.of(), result.errors(), "errors"),
          () ->
              assertEquals(Map.of(), result.disconnects(), "connections that ended during the run"),
          () -> assertEquals(Map.of(), result.refused(), "messages the server refused"),
          () ->
              assertEquals(
                  Set.of(),
                  result.unanswered(),
                  () ->
                      "sends the server never answered: "
                          + result.describe(result.unanswered(), 20)),
          () ->
              assertEquals(
                  result.sent(), result.accepted().size(), "every message sent is accepted"),
          () ->
              assertEquals(
                  Set.of(),
                  result.lost(),
                  () -> "accepted but never delivered: " + result.describe(result.lost(), 20)),
          () ->
              assertEquals(
                  Set.of(),
                  result.misdelivered(),
                  () ->
                      "delivered to the wrong user: " + result.describe(result.misdelivered(), 20)),
          () -> assertEquals(Set.of(), result.unexpected(), "delivered but never sent"),
          () ->
              assertEquals(
                  0,
                  result.duplicatesRemoved(),
                  "deliveries repeated on a connection that never ended"),
          () ->
              assertTrue(
                  settled,
                  () ->
                      "not settled within 30 s (receipts outstanding: "
                          + result.describe(result.receiptsOutstanding(), 20)
                          + ")"));
    }
  }

  @Test
  void theCommandLineReportsAResultWithoutErrors() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream console = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit =
          new CommandLine(new LoadGenerator())
              .execute(
                  "--server",
                  server.uri().toString(),
                  "--prefix",
                  "cli",
                  "--users",
                  "4",
                  "--rate",
                  "50",
                  "--warmup",
                  "0",
                  "--duration",
                  "2");
    } finally {
      System.setOut(console);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.print(output);

    assertEquals(0, exit, "exit status (1 = errors)");
    assertTrue(
        output.lines().anyMatch(l -> l.startsWith("RESULT securecom users=4 target=50/s")), output);
    // kind, users, target rate, delivered per second (some), four latencies, no errors, server CPU
    // n/a, heap, the generator's own CPU
    String csv = "CSV,securecom,4,50,[1-9][0-9]*(,[0-9.]+){4},0,,[0-9]*,[0-9]+\\.[0-9]{2}";
    assertTrue(output.lines().anyMatch(l -> l.matches(csv)), output);
  }
}
