package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.app.HostileServer;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.TestClient;
import com.securecom.client.net.TinyHttpServer;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat} run in-process as Alice, typing into a {@link ScriptedTerminal}, against a relay and
 * registry in this JVM ({@link HostileServer}, here an honest one) where Bob, and sometimes Carol,
 * are real clients ({@link TestClient}): what reaches Bob, what Alice's screen shows, and what the
 * chat's commands do.
 */
@Timeout(60)
class ChatCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern TIME = Pattern.compile("\\[\\d\\d:\\d\\d:\\d\\d] ");

  @TempDir Path home;

  private TinyHttpServer rest;
  private final HostileServer relay = new HostileServer();
  private final ScriptedTerminal terminal = new ScriptedTerminal();
  private InProcessCli cli;
  private TestClient bob;

  @BeforeEach
  void aliceRegistered_bobOnline() throws Exception {
    rest = InProcessCli.accountServer();
    cli =
        InProcessCli.withSecrets(home)
            .terminals(terminal::open)
            .messengers(
                (vault, events) ->
                    new Messenger(
                        vault,
                        relay,
                        relay.connectorFor("alice", "token-1"),
                        new SecureRandom(),
                        Clock.systemUTC(),
                        events));
    assertThat(run("register", "alice").exitCode()).isZero();
    JsonObject registration =
        rest.requests().stream()
            .filter(r -> r.path().equals("/api/accounts"))
            .map(r -> Json.createReader(new StringReader(r.body())).readObject())
            .findFirst()
            .orElseThrow();
    JsonObject identity =
        Json.createObjectBuilder()
            .add("identityKey", registration.get("identityKey"))
            .add("identityDhKey", registration.get("identityDhKey"))
            .build();
    JsonObject bundle =
        Json.createObjectBuilder(identity)
            .add("signedPreKey", registration.get("signedPreKey"))
            .build();
    relay.publish("alice", identity, () -> bundle);
    bob = TestClient.create(relay, home.resolve("others"), "bob").publish().connect();
    rest.answer("GET", "/api/keys/bob/identity", 200, bob.identityJson().toString());
  }

  @AfterEach
  void stop() {
    bob.close();
    rest.close();
  }

  private InProcessCli.Result run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "--server";
    full[1] = rest.uri().toString();
    System.arraycopy(args, 0, full, 2, args.length);
    return cli.run(full);
  }

  private CompletableFuture<InProcessCli.Result> chat(String... options)
      throws InterruptedException {
    String[] args = new String[options.length + 2];
    System.arraycopy(options, 0, args, 0, options.length);
    args[options.length] = "chat";
    args[options.length + 1] = "bob";
    CompletableFuture<InProcessCli.Result> chat = CompletableFuture.supplyAsync(() -> run(args));
    terminal.awaitScreen("Chatting with bob as alice.", WAIT);
    return chat;
  }

  private InProcessCli.Result quit(CompletableFuture<InProcessCli.Result> chat) throws Exception {
    terminal.type("/quit");
    InProcessCli.Result result = chat.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.err() + terminal.screen()).isZero();
    return result;
  }

  private void awaitBobHas(int texts) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (bob.texts().size() < texts && System.nanoTime() < deadline) {
      relay.settle();
      Thread.sleep(20);
    }
    assertThat(bob.texts()).as(terminal.screen()).hasSizeGreaterThanOrEqualTo(texts);
  }

  @Test
  void linesArriveExactlyAsTyped_backslashesQuotesAndBangsIncluded() throws Exception {
    List<String> typed =
        List.of("C:\\Users\\alice\\docs", "\\\\", "a trailing \\", "don't \"quote", "wow!! !1");
    var chat = chat();

    typed.forEach(terminal::type);
    awaitBobHas(typed.size());
    quit(chat);

    assertThat(bob.texts()).containsExactlyElementsOf(typed);
  }

  @Test
  void slashCommands_areNeverSent_andDoubleSlashSendsASlash() throws Exception {
    var chat = chat();

    terminal.type("/help");
    terminal.awaitScreen("//text        sends \"/text\"", WAIT);
    terminal.type("/frobnicate");
    terminal.awaitScreen("unknown command, /help lists them", WAIT);
    terminal.type("/fingerprint");
    terminal.awaitScreen("Safety number of alice and bob:", WAIT);
    terminal.awaitScreen("if it matches, run: /verify", WAIT);
    terminal.type("/contacts");
    terminal.awaitScreen("not verified", WAIT);
    terminal.type("/verify");
    terminal.awaitScreen("Does bob see exactly this number? [y/N]", WAIT);
    terminal.type("y");
    terminal.awaitScreen("bob is verified.", WAIT);
    terminal.type("//me waves");
    awaitBobHas(1);
    quit(chat);

    assertThat(bob.texts()).containsExactly("/me waves");
    assertThat(run("contacts").out()).containsPattern("bob +verified");
  }

  @Test
  void ownLinesShowTheTime_andReceiptsQuoteTheMessage_andVerboseDoesNotRepeatTheHandshake()
      throws Exception {
    var chat = chat("--verbose");

    terminal.type("The quick brown fox jumps over the lazy dog");
    terminal.awaitScreen("(delivered to bob: \"The quick brown fox ...\")", WAIT);
    terminal.type("short one");
    terminal.awaitScreen("(delivered to bob: \"short one\")", WAIT);
    quit(chat);

    String screen = terminal.screen();
    assertThat(
            Pattern.compile(TIME.pattern() + "alice: short one  \\(sent\\)").matcher(screen).find())
        .as(screen)
        .isTrue();
    assertThat(screen.split("channel handshake", -1)).as(screen).hasSize(2);
    assertThat(screen.split("encrypt ", -1)).as(screen).hasSize(3);
  }

  @Test
  void aChatInAGroup_sendsToItsMembers_andShowsWhatTheySendToIt() throws Exception {
    CompletableFuture<InProcessCli.Result> created =
        CompletableFuture.supplyAsync(() -> run("group", "create", "crew", "bob"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!created.isDone() && System.nanoTime() < deadline) {
      relay.settle();
      Thread.sleep(20);
    }
    assertThat(created.get().exitCode()).as(created.get().err()).isZero();
    relay.settle();
    CompletableFuture<InProcessCli.Result> chat =
        CompletableFuture.supplyAsync(() -> run("chat", "#crew"));
    terminal.awaitScreen("Chatting in #crew as alice.", WAIT);

    terminal.type("hello crew");
    while (bob.groupTexts().isEmpty() && System.nanoTime() < deadline) {
      relay.settle();
      Thread.sleep(20);
    }
    bob.sendToGroup("crew", "hi alice");
    terminal.awaitScreen("#crew bob: hi alice", WAIT);
    terminal.type("/fingerprint");
    terminal.awaitScreen("compare each member's safety number", WAIT);
    terminal.type("/help");
    terminal.awaitScreen("get no delivered or read receipts", WAIT);
    quit(chat);

    assertThat(bob.groupTexts()).containsExactly("hello crew");
    assertThat(bob.texts()).isEmpty();
  }

  @Test
  void aChatWithBob_leavesCarolsMessagesOnTheServer_andSaysSoOnce() throws Exception {
    try (TestClient carol =
        TestClient.create(relay, home.resolve("others"), "carol").publish().connect()) {
      var chat = chat();

      List<String> fromCarol =
          List.of(carol.send("alice", "psst, it's Carol"), carol.send("alice", "hello?"));
      terminal.awaitScreen(
          "(new from carol, kept on the server: read it with 'securecom chat carol'", WAIT);
      terminal.type("hi Bob");
      awaitBobHas(1);
      quit(chat);

      String screen = terminal.screen();
      assertThat(screen).doesNotContain("psst").doesNotContain("hello?");
      assertThat(screen.split("new from carol", -1)).hasSize(2);
      assertThat(relay.acks)
          .as("not acknowledged: the server keeps them")
          .doesNotContainAnyElementsOf(fromCarol.stream().map(id -> "alice/" + id).toList());
    }
  }

  @Test
  void aChatWithSomeoneWhoDoesNotExist_failsAtOnce_exit6() {
    InProcessCli.Result result = run("chat", "nobody");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNKNOWN_USER);
    assertThat(result.err()).contains("no user called nobody");
    assertThat(terminal.screen()).isEmpty();
  }

  @Test
  void theChatSurvivesAServerRestart_sayingSo_andEveryLineArrivesOnce() throws Exception {
    var chat = chat();
    terminal.type("before the restart");
    awaitBobHas(1);

    relay.down(true);
    terminal.awaitScreen("disconnected, reconnecting in 2 s", WAIT);
    terminal.type("typed while the server is down");
    terminal.awaitScreen(
        "typed while the server is down  (queued: the server is unreachable", WAIT);
    terminal.awaitScreen("disconnected, reconnecting in 4 s", WAIT); // the first attempt failed
    relay.down(false);
    bob.connect();
    terminal.awaitScreen("reconnected", WAIT);
    awaitBobHas(2);
    terminal.type("after the restart");
    awaitBobHas(3);
    quit(chat);

    assertThat(bob.texts())
        .containsExactly(
            "before the restart", "typed while the server is down", "after the restart");
  }

  @Test
  void send_whileTheServerIsDown_keepsTheMessageInTheOutbox_exit11_andTheNextCommandSendsItOnce()
      throws Exception {
    assertThat(run("send", "bob", "first").exitCode()).isZero();
    awaitBobHas(1);
    relay.down(true);

    InProcessCli.Result offline = run("send", "bob", "sent while the server was down");

    assertThat(offline.exitCode()).as(offline.err()).isEqualTo(ExitCodes.QUEUED);
    assertThat(offline.out())
        .contains("queued for bob")
        .contains("the next chat, send or receive sends it");
    relay.down(false);
    bob.connect();
    InProcessCli.Result receive = run("receive");
    assertThat(receive.exitCode()).as(receive.err()).isZero();
    awaitBobHas(2);
    assertThat(bob.texts()).containsExactly("first", "sent while the server was down");
  }

  @Test
  void whileAChatHoldsTheProfile_fingerprintAndContactsStillWork_andWhatWouldWriteSaysInUse()
      throws Exception {
    var chat = chat();
    terminal.type("hello");
    awaitBobHas(1);

    InProcessCli.Result fingerprint = run("fingerprint", "bob");
    InProcessCli.Result contacts = run("contacts");
    rest.answer("GET", "/api/keys/carol/identity", 200, bob.identityJson().toString());
    InProcessCli.Result wouldPinCarol = run("fingerprint", "carol");
    InProcessCli.Result send = run("send", "bob", "from a second process");
    quit(chat);

    assertThat(fingerprint.exitCode()).as(fingerprint.err()).isZero();
    assertThat(fingerprint.out()).contains("Safety number of alice and bob:");
    assertThat(contacts.exitCode()).as(contacts.err()).isZero();
    assertThat(contacts.out()).containsPattern("bob +not verified");
    assertThat(wouldPinCarol.exitCode()).isEqualTo(ExitCodes.PROFILE);
    assertThat(wouldPinCarol.err()).contains("profile is in use");
    assertThat(send.exitCode()).isEqualTo(ExitCodes.PROFILE);
    assertThat(run("contacts").out()).doesNotContain("carol");
  }

  /**
   * 4426: the account got a second device, which a version 3 client cannot address. The chat says
   * what to do and does not reconnect: every new connection would be refused the same way.
   */
  @Test
  void anAccountWithLinkedDevices_closesTheChat_withUpgradeAdvice_andItDoesNotReconnect()
      throws Exception {
    var chat = chat();
    terminal.type("before the second device");
    awaitBobHas(1);
    long connections = relay.connectionsMadeBy("alice");

    relay.close("alice", CloseCodes.UPGRADE_REQUIRED);

    terminal.awaitScreen(
        "!! disconnected: this account has linked devices, which this version of securecom"
            + " cannot use; install a securecom that speaks relay version 4; not reconnecting",
        WAIT);
    Thread.sleep(2_500); // longer than the first retry delay (2 s)
    assertThat(relay.connectionsMadeBy("alice")).as(terminal.screen()).isEqualTo(connections);
    assertThat(terminal.screen()).doesNotContain("reconnecting in");
    quit(chat);
  }

  /**
   * upgrade_required: the recipient (or the sender's account) has linked devices. The message is
   * shown as not sent, with what to do, and is never sent again: not by this chat, and not by the
   * next command that connects (which resends the outbox).
   */
  @Test
  void aMessageRefusedWithUpgradeRequired_isNotSent_saysToUpgrade_andIsNeverResent()
      throws Exception {
    relay.refuseMessagesTo("bob", ErrorCodes.UPGRADE_REQUIRED, "bob has linked devices");
    var chat = chat();

    terminal.type("hello bob");

    terminal.awaitScreen("!! not sent: hello bob", WAIT);
    terminal.awaitScreen(
        "!! the recipient (or your own account) has linked devices, which this version of"
            + " securecom cannot send to; install a securecom that speaks relay version 4",
        WAIT);
    quit(chat);

    InProcessCli.Result send = run("send", "bob", "and again");
    assertThat(send.exitCode()).as(send.err()).isEqualTo(ExitCodes.REJECTED);
    assertThat(send.err())
        .contains("securecom: the recipient (or your own account) has linked devices")
        .contains("install a securecom that speaks relay version 4");
    InProcessCli.Result receive = run("receive"); // a new connection resends the outbox
    assertThat(receive.exitCode()).as(receive.err()).isZero();
    relay.settle();
    assertThat(relay.refused)
        .extracting(WireMessage.Send::id)
        .as("each message was offered once")
        .doesNotHaveDuplicates()
        .hasSize(2);
    assertThat(bob.texts()).isEmpty();
  }

  /**
   * A line queued while the server was down is resent on reconnecting; refused then with
   * upgrade_required, nobody waits for its answer any more, so the chat says it was not sent and
   * why.
   */
  @Test
  void aQueuedLineRefusedWithUpgradeRequiredOnReconnecting_isReportedAsNotSent() throws Exception {
    var chat = chat();
    terminal.type("before bob linked a device");
    awaitBobHas(1);
    relay.down(true);
    terminal.awaitScreen("disconnected, reconnecting in 2 s", WAIT);
    terminal.type("typed while the server is down");
    terminal.awaitScreen(
        "typed while the server is down  (queued: the server is unreachable", WAIT);

    relay.refuseMessagesTo("bob", ErrorCodes.UPGRADE_REQUIRED, "bob has linked devices");
    relay.down(false);

    terminal.awaitScreen(
        "!! your message to bob was not sent: the recipient (or your own account) has linked"
            + " devices, which this version of securecom cannot send to; install a securecom that"
            + " speaks relay version 4",
        WAIT);
    quit(chat);
    assertThat(relay.refused).hasSize(1);
    assertThat(bob.texts()).containsExactly("before bob linked a device");
  }

  /** A close a new connection cannot fix is not retried: it would loop, or fight another device. */
  @Test
  void closesThatANewConnectionCannotFix_areNotRetried() {
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.DEVICE_REMOVED))
        .isFalse();
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.UPGRADE_REQUIRED))
        .isFalse();
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.CONNECTED_ELSEWHERE))
        .isFalse();
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.UNAUTHORIZED))
        .isFalse();
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.SERVER_ERROR))
        .isTrue();
    assertThat(ChatSession.retryable(com.securecom.protocol.channel.CloseCodes.RATE_LIMITED))
        .isTrue();
  }
}
