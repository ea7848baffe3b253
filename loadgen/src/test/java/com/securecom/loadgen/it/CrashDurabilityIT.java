package com.securecom.loadgen.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.securecom.loadgen.LoadOptions;
import com.securecom.loadgen.LoadResult;
import com.securecom.loadgen.LoadRun;
import com.securecom.loadgen.MessageKey;
import com.securecom.testkit.PayaraMicro;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * "{@code accepted} means stored durably": the server is killed with SIGKILL while users send to
 * each other, then started again on the same database and server key. The users reconnect (with
 * their tokens: sessions are in the database), send again what had no answer, and keep
 * acknowledging. Once everything settles, every message the server ever answered {@code accepted}
 * (before or after the crash) must have reached its recipient's application exactly once (duplicate
 * deliveries, which at-least-once delivery allows, removed by (sender, id)), and nothing may be
 * left in the server's queue or, once it is killed again, in its {@code message} table.
 *
 * <p>Runs on H2 always, and on PostgreSQL when the system property {@code it.pg.url} names a
 * database to use (created and dropped by the test), e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/securecom_crash}.
 */
class CrashDurabilityIT {
  private static final int USERS = 10;
  private static final int RATE = 300;

  /**
   * Accepted messages before the kill, and again after the restart: the server is busy, not warming
   * up.
   */
  private static final int FLOWING = 100;

  private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final int SIGKILL_STATUS = 128 + 9;

  @Test
  void acceptedMessagesSurviveSigkillOnH2() throws Exception {
    Path work = WorkDirectories.create(CrashDurabilityIT.class);
    try (TestDatabase database = TestDatabase.h2(work.resolve("db"))) {
      killMidStreamAndRestart(work, database);
    }
  }

  @Test
  void acceptedMessagesSurviveSigkillOnPostgres() throws Exception {
    String url = postgresUrl(); // first: skipped without creating anything
    Path work = WorkDirectories.create(CrashDurabilityIT.class);
    try (TestDatabase database = TestDatabase.postgres(url)) {
      killMidStreamAndRestart(work, database);
    }
  }

  /** The PostgreSQL database {@code it.pg.url} names; the test is skipped if it names none. */
  private static String postgresUrl() {
    String url = System.getProperty("it.pg.url", "");
    assumeFalse(
        url.isBlank(),
        "set it.pg.url (e.g. jdbc:postgresql://127.0.0.1:5432/securecom_crash) to run this");
    return url;
  }

  /**
   * The fast path (docs/protocol.md, "Sending"): with a long window and recipients that wait {@link
   * #ACK_DELAY} before acknowledging, the kill finds messages delivered but neither acknowledged
   * nor stored (their senders never got {@code accepted}), and messages acknowledged whose {@code
   * accepted} was about to go out. Each must be sent again and not lost; none may be lost that was
   * answered {@code accepted} without ever being written.
   */
  @Test
  void fastPathMessagesSurviveSigkillOnH2() throws Exception {
    Path work = WorkDirectories.create(CrashDurabilityIT.class);
    try (TestDatabase database = TestDatabase.h2(work.resolve("db"))) {
      killMidStreamAndRestart(work, database, ACK_DELAY);
    }
  }

  /** The fast-path case on PostgreSQL, when {@code it.pg.url} names a database. */
  @Test
  void fastPathMessagesSurviveSigkillOnPostgres() throws Exception {
    String url = postgresUrl(); // first: skipped without creating anything
    Path work = WorkDirectories.create(CrashDurabilityIT.class);
    try (TestDatabase database = TestDatabase.postgres(url)) {
      killMidStreamAndRestart(work, database, ACK_DELAY);
    }
  }

  /** How long the recipients of the fast-path case wait before each {@code ack}. */
  private static final Duration ACK_DELAY = Duration.ofMillis(1500);

  private void killMidStreamAndRestart(Path work, TestDatabase database) throws Exception {
    killMidStreamAndRestart(work, database, Duration.ZERO);
  }

  private void killMidStreamAndRestart(Path work, TestDatabase database, Duration ackDelay)
      throws Exception {
    boolean fastPathCase = !ackDelay.isZero();
    PayaraMicro.Builder builder =
        PayaraMicro.in(work)
            .database(database)
            .serverKey(work.resolve("server.key"))
            .generousLimits();
    if (fastPathCase) {
      builder.property("securecom.relay.fast-path-window", "PT60S");
    }
    try (PayaraMicro server = builder.start()) {
      log(database, "server started");
      LoadOptions options =
          LoadOptions.defaults()
              .server(server.uri())
              .prefix("crash")
              .users(USERS)
              .rate(RATE)
              .warmup(Duration.ZERO)
              .duration(Duration.ofMinutes(10))
              .ackDelay(ackDelay)
              .reconnect(true);
      try (LoadRun run = LoadRun.connect(options, System.out)) {
        run.startSending();
        assertTrue(
            await(
                FLOW_TIMEOUT,
                () -> {
                  LoadResult now = run.result();
                  return now.accepted().size() >= FLOWING
                      && !now.unanswered().isEmpty() // some in flight
                      && (!fastPathCase || !deliveredNotAccepted(now).isEmpty());
                }),
            () -> "messages did not flow before the crash: " + run.result().summary());

        int status = server.kill();
        LoadResult atCrash = run.result();
        log(database, "killed the server (exit status " + status + "): " + atCrash.summary());
        assertEquals(SIGKILL_STATUS, status, "the server JVM's exit status: killed by SIGKILL");
        if (fastPathCase) {
          log(
              database,
              deliveredNotAccepted(atCrash).size()
                  + " messages were delivered and not yet accepted at the kill (on the fast path)");
        }

        server.start();
        log(database, "server restarted");
        assertTrue(
            run.awaitConnected(RECONNECT_TIMEOUT),
            () ->
                "the users did not all reconnect: "
                    + run.result().summary()
                    + "\n"
                    + server.tail());
        int acceptedAfterRestart = run.result().accepted().size() + FLOWING;
        assertTrue(
            await(FLOW_TIMEOUT, () -> run.result().accepted().size() >= acceptedAfterRestart),
            () -> "messages did not flow after the restart: " + run.result().summary());
        run.stopSending();
        log(database, "reconnected and sending again; stopped sending: " + run.result().summary());

        boolean settled = run.awaitSettled(SETTLE_TIMEOUT);
        run.sync(); // the server has handled every ack and receiptAck sent so far
        LoadResult result = run.result();
        log(database, "settled " + settled + ": " + result.summary());
        assertEveryAcceptedMessageDeliveredOnce(atCrash, result, settled);
        assertQueueDrains(server);
      }

      server.kill(); // and what it committed is what is left
      List<String> remaining = remainingMessages(database);
      assertEquals(
          List.of(),
          remaining,
          () ->
              remaining.size()
                  + " rows left in the "
                  + database
                  + " message table (a row stays until its sender saw the receipt)");
    }
  }

  /** Messages their recipient's application has, whose sender was not yet answered. */
  private static Set<MessageKey> deliveredNotAccepted(LoadResult result) {
    return result.unanswered().stream()
        .filter(result.delivered()::containsKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void assertEveryAcceptedMessageDeliveredOnce(
      LoadResult atCrash, LoadResult result, boolean settled) {
    Set<MessageKey> acceptedBeforeCrashLost =
        atCrash.accepted().keySet().stream()
            .filter(k -> !result.delivered().containsKey(k))
            .collect(Collectors.toCollection(TreeSet::new));
    assertAll(
        () ->
            assertEquals(
                Set.of(),
                acceptedBeforeCrashLost,
                () ->
                    acceptedBeforeCrashLost.size()
                        + " messages accepted before the SIGKILL were never delivered: "
                        + result.describe(acceptedBeforeCrashLost, 50)),
        () ->
            assertEquals(
                Set.of(),
                result.lost(),
                () ->
                    result.lost().size()
                        + " accepted messages were never delivered: "
                        + result.describe(result.lost(), 50)),
        () -> assertEquals(Map.of(), result.errors(), "errors (disconnects by the crash aside)"),
        () -> assertEquals(Map.of(), result.refused(), "messages the server refused"),
        () ->
            assertEquals(
                Set.of(),
                result.unanswered(),
                () ->
                    "sends never answered, even when sent again after the restart: "
                        + result.describe(result.unanswered(), 50)),
        () ->
            assertEquals(
                Set.of(),
                result.misdelivered(),
                () -> "delivered to the wrong user: " + result.describe(result.misdelivered(), 50)),
        () -> assertEquals(Set.of(), result.unexpected(), "delivered but never sent"),
        () ->
            assertTrue(
                settled,
                () ->
                    "not settled within "
                        + SETTLE_TIMEOUT
                        + "; receipts outstanding: "
                        + result.describe(result.receiptsOutstanding(), 50)));
  }

  /**
   * The server's queue gauge reaches 0: nothing stored is still waiting for its recipient's ack.
   * (The server recounts the gauge at most every 15 seconds, so it may lag.)
   */
  private static void assertQueueDrains(PayaraMicro server) throws InterruptedException {
    OptionalDouble[] queued = {OptionalDouble.empty()};
    boolean drained =
        await(
            Duration.ofSeconds(45),
            () -> {
              queued[0] = server.metric("securecom_messages_queued");
              return queued[0].isPresent() && queued[0].getAsDouble() == 0;
            });
    assertTrue(drained, () -> "securecom_messages_queued did not reach 0: " + queued[0]);
  }

  /** Polls {@code condition} every 50 ms until it holds; false if {@code timeout} passed first. */
  private static boolean await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  /**
   * The rows of the relay's {@code message} table, as "sender/id -> recipient (undelivered|receipt
   * pending)". A row stays from {@code accepted} until the sender saw the receipt; after a settled
   * run there is none. (H2: only while the server is stopped; the file is locked.)
   */
  private static List<String> remainingMessages(TestDatabase database) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = database.open();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT sender, message_id, recipient, delivered_at FROM relay_message ORDER BY sender, message_id")) {
      while (r.next()) {
        r.getLong(4);
        boolean undelivered = r.wasNull();
        rows.add(
            r.getString(1)
                + "/"
                + r.getString(2)
                + " -> "
                + r.getString(3)
                + (undelivered ? " (undelivered)" : " (receipt pending)"));
      }
    }
    return rows;
  }

  private static void log(TestDatabase database, String line) {
    System.out.printf("[crash test, %s, %tT] %s%n", database, System.currentTimeMillis(), line);
  }
}
