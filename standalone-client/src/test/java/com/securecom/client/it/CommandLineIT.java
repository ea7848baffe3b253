package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.client.cli.ExitCodes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.testkit.CliProcess;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code securecom} command line driven as people and scripts drive it, one process per
 * command, against a real server (Payara Micro running the built WAR): scripts with {@code send}
 * and {@code receive --json}, a malicious key registry, and {@code chat} in a terminal.
 */
class CommandLineIT {
  @RegisterExtension static final PayaraServer server = new PayaraServer();

  private static final Pattern SAFETY_NUMBER = Pattern.compile("\\d{5}( \\d{5}){11}");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Cli cli =
      new Cli(
          server.uri(),
          server.workDirectory().resolve("cli-profiles"),
          server.workDirectory().resolve("cli-output"));
  private final ServerDatabase database = new ServerDatabase(server);

  CommandLineIT() throws Exception {}

  private CliProcess.Result succeeds(String user, String... args) throws Exception {
    return succeedsWithInput(user, "", args);
  }

  private CliProcess.Result succeedsWithInput(String user, String input, String... args)
      throws Exception {
    CliProcess.Result result = cli.runWithInput(user, input, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  private void register(String... users) throws Exception {
    for (String user : users) {
      assertThat(succeeds(user, "register", user).out())
          .contains("Registered " + user + " at " + server.uri());
    }
  }

  @Test
  void aliceAndBob_register_andChatBothWays_fromScripts() throws Exception {
    register("alice.script", "bob.script");

    JsonObject hello =
        succeeds("alice.script", "send", "bob.script", "--json", "Hi Bob,", "it's Alice")
            .json("sent")
            .get(0);
    CliProcess.Result bobReads = succeeds("bob.script", "receive", "--json");
    assertThat(bobReads.json("message"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getString("from")).isEqualTo("alice.script");
              assertThat(m.getString("id")).isEqualTo(hello.getString("id"));
              assertThat(m.getString("text")).isEqualTo("Hi Bob, it's Alice");
            });

    // One message per line of standard input.
    List<JsonObject> replies =
        succeedsWithInput("bob.script", "Hi Alice!\nBob here.\n", "send", "alice.script", "--json")
            .json("sent");
    assertThat(replies).hasSize(2);
    CliProcess.Result aliceReads = succeeds("alice.script", "receive", "--json");
    assertThat(aliceReads.json("message"))
        .extracting(m -> m.getString("id"), m -> m.getString("text"))
        .containsExactly(
            tuple(replies.get(0).getString("id"), "Hi Alice!"),
            tuple(replies.get(1).getString("id"), "Bob here."));
    assertThat(aliceReads.json("delivered"))
        .extracting(d -> d.getString("id"))
        .contains(hello.getString("id"));
    CliProcess.Result bobsReceipts = succeeds("bob.script", "receive", "--json");
    assertThat(bobsReceipts.json("delivered"))
        .extracting(d -> d.getString("id"))
        .contains(replies.get(0).getString("id"), replies.get(1).getString("id"));

    assertThat(succeeds("alice.script", "receive", "--json").json("message"))
        .as("each message is shown once")
        .isEmpty();
    assertThat(succeeds("bob.script", "receive", "--json").json("message"))
        .as("each message is shown once")
        .isEmpty();
    for (CliProcess.Result r : List.of(bobReads, aliceReads, bobsReceipts)) {
      assertThat(r.json("warning")).as(r.toString()).isEmpty();
      assertThat(r.err()).as(r.toString()).doesNotContain("!!");
    }
  }

  @Test
  void registryReplacesBobsKeys_aliceIsWarned_andHerMessageStillGoesOnlyToTheRealBob()
      throws Exception {
    register("alice.swap", "bob.swap");
    succeeds("alice.swap", "send", "bob.swap", "before the swap");
    assertThat(succeeds("bob.swap", "receive", "--json").json("message")).hasSize(1);

    Impostor mallory = new Impostor();
    database.replaceKeys("bob.swap", mallory);
    CliProcess.Result send =
        succeeds("alice.swap", "send", "bob.swap", "--json", "are you still you?");

    assertThat(send.err())
        .contains("!! The server now publishes a different identity key for bob.swap")
        .contains("Your messages still go only to the pinned key");
    assertThat(succeeds("alice.swap", "contacts").out())
        .containsPattern("bob\\.swap +not verified");

    // The registry's word moved nothing: the impostor cannot read the message, the real Bob can.
    String id = send.json("sent").get(0).getString("id");
    byte[] envelope = database.envelope("alice.swap", id);
    assertThatThrownBy(
            () -> mallory.read("bob.swap", envelope, id, database.publishedIdentity("alice.swap")))
        .isInstanceOf(DecryptionFailedException.class);
    CliProcess.Result bobReads = succeeds("bob.swap", "receive", "--json");
    assertThat(bobReads.json("message"))
        .singleElement()
        .satisfies(m -> assertThat(m.getString("text")).isEqualTo("are you still you?"));
    assertThat(bobReads.json("warning")).isEmpty();
  }

  @Test
  void registryReplacesKeysOfAVerifiedContact_nothingIsEncryptedToThem_withExitCode7()
      throws Exception {
    register("alice.verified", "bob.verified");
    String aliceSees = safetyNumber(succeeds("alice.verified", "fingerprint", "bob.verified"));
    String bobSees = safetyNumber(succeeds("bob.verified", "fingerprint", "alice.verified"));
    assertThat(aliceSees).isEqualTo(bobSees);
    assertThat(succeeds("alice.verified", "verify", "bob.verified", "--yes").out())
        .contains("bob.verified is verified");

    database.replaceKeys("bob.verified", new Impostor());

    for (int attempt = 1; attempt <= 2; attempt++) {
      CliProcess.Result send =
          cli.run("alice.verified", "send", "bob.verified", "this must not be sent");
      assertThat(send.exitCode()).as(send.toString()).isEqualTo(ExitCodes.UNTRUSTED).isEqualTo(7);
      assertThat(send.out()).doesNotContain("sent to");
      assertThat(send.err())
          .as(send.toString())
          .contains(
              "securecom: the server offers keys for bob.verified that are not the identity you pinned")
          .contains("!! The server now publishes a different identity key for bob.verified");
    }
    assertThat(database.messageCount("alice.verified", "bob.verified"))
        .as("messages stored")
        .isZero();
    assertThat(succeeds("alice.verified", "contacts").out())
        .containsPattern("bob\\.verified +verified");
    assertThat(safetyNumber(succeeds("alice.verified", "fingerprint", "bob.verified")))
        .isEqualTo(aliceSees);
  }

  private static String safetyNumber(CliProcess.Result fingerprint) {
    Matcher m = SAFETY_NUMBER.matcher(fingerprint.out());
    assertThat(m.find()).as(fingerprint.toString()).isTrue();
    return m.group();
  }

  @Test
  void chatInATerminal_showsWhatThePeerTypes_andDeliveryReceipts() throws Exception {
    assumeTrue(
        Tmux.installed(),
        "tmux is not installed: skipping the terminal chat test (CI installs it)");
    register("alice.tty", "bob.tty");

    try (Tmux tmux = new Tmux()) {
      tmux.start(
          "alice", cli.commandLine("alice.tty", "chat", "bob.tty"), environment("alice.tty"));
      tmux.start("bob", cli.commandLine("bob.tty", "chat", "alice.tty"), environment("bob.tty"));
      tmux.awaitScreen("alice", "Chatting with bob.tty as alice.tty", WAIT);
      tmux.awaitScreen("bob", "Chatting with alice.tty as bob.tty", WAIT);

      tmux.type("bob", "Hello Alice, Bob typing here");
      tmux.awaitScreen("alice", "bob.tty: Hello Alice, Bob typing here", WAIT);
      tmux.awaitScreen("bob", "(delivered to alice.tty: ", WAIT);

      tmux.type("alice", "Hi Bob, I can see you");
      tmux.awaitScreen("bob", "alice.tty: Hi Bob, I can see you", WAIT);
      tmux.awaitScreen("alice", "(delivered to bob.tty: ", WAIT);

      tmux.type("alice", "/quit");
      tmux.type("bob", "/quit");
      tmux.awaitScreen("alice", "[exit 0]", WAIT);
      tmux.awaitScreen("bob", "[exit 0]", WAIT);
      assertThat(tmux.screen("alice") + tmux.screen("bob")).doesNotContain("!!");
    }
  }

  /**
   * Issue 13: backslashes arrive as typed, slash commands are not sent, receipts quote the message,
   * and a chat survives a server restart: it says so, reconnects by itself, and a line typed while
   * the server was down arrives once. Prints both screens (the transcript).
   */
  @Test
  void chatInATerminal_survivesAServerRestart_andEveryLineArrivesOnce() throws Exception {
    assumeTrue(
        Tmux.installed(),
        "tmux is not installed: skipping the terminal chat test (CI installs it)");
    register("alice.restart", "bob.restart");
    Duration restartWait = Duration.ofSeconds(180);

    try (Tmux tmux = new Tmux()) {
      tmux.start(
          "alice",
          cli.commandLine("alice.restart", "chat", "bob.restart"),
          environment("alice.restart"));
      tmux.start(
          "bob",
          cli.commandLine("bob.restart", "chat", "alice.restart"),
          environment("bob.restart"));
      tmux.awaitScreen("alice", "Chatting with bob.restart as alice.restart", WAIT);
      tmux.awaitScreen("bob", "Chatting with alice.restart as bob.restart", WAIT);

      tmux.type("alice", "C:\\Users\\alice\\docs before the restart");
      tmux.awaitScreen("bob", "alice.restart: C:\\Users\\alice\\docs before the restart", WAIT);
      tmux.awaitScreen("alice", "(delivered to bob.restart: \"C:\\Users\\alice\\docs ...\")", WAIT);
      tmux.type("alice", "/frobnicate");
      tmux.awaitScreen("alice", "unknown command, /help lists them", WAIT);

      server.stop();
      tmux.awaitScreen("alice", "disconnected, reconnecting in 2 s", WAIT);
      tmux.type("alice", "typed while the server was down");
      tmux.awaitScreen(
          "alice", "typed while the server was down  (queued: the server is unreachable", WAIT);
      server.startAgain();
      tmux.awaitScreen("alice", "reconnected", restartWait);
      tmux.awaitScreen("bob", "reconnected", restartWait);
      tmux.awaitScreen("bob", "alice.restart: typed while the server was down", WAIT);
      tmux.awaitScreen("alice", "(delivered to bob.restart: \"typed while the serv...\")", WAIT);
      tmux.type("bob", "got it");
      tmux.awaitScreen("alice", "bob.restart: got it", WAIT);

      tmux.type("alice", "/quit");
      tmux.type("bob", "/quit");
      tmux.awaitScreen("alice", "[exit 0]", WAIT);
      tmux.awaitScreen("bob", "[exit 0]", WAIT);
      String alice = tmux.screen("alice");
      String bob = tmux.screen("bob");
      System.out.println("--- alice's terminal:\n" + alice + "\n--- bob's terminal:\n" + bob);
      assertThat(bob.split("typed while the server was down", -1)).as(bob).hasSize(2);
      assertThat(bob).doesNotContain("frobnicate");
    }
  }

  /**
   * Issue 13 item 5: the README's two-terminal walkthrough, pasted line by line as it stands into
   * two shells (the left column into one, the right into the other), answering each prompt as a
   * person would. Only the server address and the profiles' folder come from the environment.
   */
  @Test
  void readmeWalkthrough_pastedAsIsIntoTwoTerminals_registersVerifiesAndChats() throws Exception {
    assumeTrue(
        Tmux.installed(),
        "tmux is not installed: skipping the terminal chat test (CI installs it)");
    Path repository = Path.of("..").toAbsolutePath().normalize();
    ReadmeWalkthrough walkthrough =
        ReadmeWalkthrough.read(repository.resolve("README.md"), "## Chat from the command line");
    assertThat(walkthrough.rows()).as("the README's walkthrough").hasSizeGreaterThanOrEqualTo(4);
    // The README's names, alice and bob, are this test's alone on the class's shared server.
    Map<String, String> environment = new HashMap<>();
    environment.put("SECURECOM_SERVER", server.uri().toString());
    environment.put("SECURECOM_HOME", server.workDirectory().resolve("readme-home").toString());
    Path rc = Files.writeString(server.workDirectory().resolve("readme-bashrc"), "PS1='$ '\n");
    List<String> shell =
        List.of(
            "bash",
            "-c",
            "cd \"$0\" && exec bash --noprofile --rcfile \"$1\" -i",
            repository.toString(),
            rc.toString());

    try (Tmux tmux = new Tmux()) {
      PromptAnswerer answers = new PromptAnswerer(tmux, "quiet lantern orbit mossy violin");
      tmux.start("t1", shell, environment);
      tmux.start("t2", shell, environment);
      for (String line : walkthrough.common()) {
        answers.run("t1", line);
        answers.run("t2", line);
      }
      for (ReadmeWalkthrough.Row row : walkthrough.rows()) {
        answers.run("t1", row.left());
        answers.run("t2", row.right());
      }
      tmux.awaitScreen("t1", "Chatting with bob as alice", WAIT);
      tmux.awaitScreen("t2", "Chatting with alice as bob", WAIT);

      tmux.type("t1", "Hello from the README");
      tmux.awaitScreen("t2", "alice: Hello from the README", WAIT);
      tmux.type("t2", "It works as written");
      tmux.awaitScreen("t1", "bob: It works as written", WAIT);
      tmux.awaitScreen("t1", "(delivered to bob: ", WAIT);
      String screens = tmux.screen("t1") + tmux.screen("t2");
      assertThat(screens).doesNotContain("securecom: ").doesNotContain("command not found");
    }
  }

  private static Map<String, String> environment(String user) {
    Map<String, String> environment = new HashMap<>();
    Cli.setEnvironment(environment, user);
    return environment;
  }
}
