package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.net.TinyHttpServer;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' arguments, outputs and exit codes, run in-process against a REST server in this JVM
 * (no relay, no Payara): registration, login, logout, contacts and what each failure of the server
 * turns into.
 */
class CommandLineTest {
  private static final String SERVER_KEY = InProcessCli.SERVER_KEY;

  @TempDir Path home;

  private TinyHttpServer server;
  private InProcessCli cli;

  @BeforeEach
  void start() throws Exception {
    server = InProcessCli.accountServer();
    cli = InProcessCli.withSecrets(home);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private InProcessCli.Result run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "--server";
    full[1] = server.uri().toString();
    System.arraycopy(args, 0, full, 2, args.length);
    return cli.run(full);
  }

  private InProcessCli.Result registerAlice() {
    InProcessCli.Result result = run("register", "alice");
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result;
  }

  @Test
  void version_andUsageErrors_needNoServer() {
    InProcessCli.Result version = cli.run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).contains("securecom 0.1.0");

    InProcessCli.Result unknown = cli.run("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Unmatched argument at index 2: 'frobnicate'");

    InProcessCli.Result noPeer = cli.run("send");
    assertThat(noPeer.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noPeer.err()).contains("Missing required parameter");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void register_createsTheKeys_registersThem_andLogsIn() throws Exception {
    InProcessCli.Result result = registerAlice();

    assertThat(result.out())
        .contains("Registered alice at " + server.uri() + ".")
        .contains("Server key fingerprint (pinned on first use): ");
    JsonObject registration =
        server.requests().stream()
            .filter(r -> r.path().equals("/api/accounts"))
            .map(r -> Json.createReader(new StringReader(r.body())).readObject())
            .findFirst()
            .orElseThrow();
    assertThat(registration.getString("username")).isEqualTo("alice");
    assertThat(registration.getJsonArray("oneTimePreKeys")).hasSize(100);
    assertThat(registration.getJsonObject("signedPreKey").getJsonNumber("keyId").longValue())
        .isEqualTo(1);
    assertThat(server.requests())
        .extracting(r -> r.method() + " " + r.path())
        .endsWith("POST /api/sessions");
    try (Stream<Path> profiles = Files.list(home.resolve("127.0.0.1_" + server.uri().getPort()))) {
      assertThat(profiles).extracting(p -> p.getFileName().toString()).containsExactly("alice");
    }
  }

  @Test
  void contacts_login_andLogout_onTheOnlyProfile() {
    registerAlice();

    assertThat(run("contacts").out()).contains("No contacts yet.");
    InProcessCli.Result login = run("login");
    assertThat(login.exitCode()).isZero();
    assertThat(login.out())
        .isEqualTo("Logged in as alice until 2099-01-01T00:00:00Z." + System.lineSeparator());
    InProcessCli.Result logout = run("logout");
    assertThat(logout.out()).contains("Logged out.");
    assertThat(server.requests())
        .filteredOn(r -> r.method().equals("DELETE"))
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer token-1"));

    InProcessCli.Result afterLogout = run("fingerprint", "bob");
    assertThat(afterLogout.exitCode()).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
    assertThat(afterLogout.err()).startsWith("securecom: not logged in; run 'securecom login'");
  }

  @Test
  void aTakenName_exits2_andLeavesNoProfile() throws Exception {
    server.answer(
        "POST",
        "/api/accounts",
        409,
        "{\"code\":\"username_taken\",\"detail\":\"username taken\"}");

    InProcessCli.Result result = run("register", "alice");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).isEqualTo("securecom: username taken" + System.lineSeparator());
    assertThat(home.resolve("127.0.0.1_" + server.uri().getPort()).resolve("alice")).doesNotExist();
  }

  @Test
  void aServerKeyOtherThanTheOperatorsOne_exits7_beforeAnythingIsCreated() throws Exception {
    InProcessCli.Result result =
        run("register", "alice", "--server-key", Bytes.base64(new byte[] {1, 2, 3}));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNTRUSTED);
    assertThat(result.err()).contains("the server's key is not the one you were given");
    assertThat(server.requests())
        .extracting(TinyHttpServer.Request::path)
        .containsExactly("/api/server-key");
    try (Stream<Path> files = Files.walk(home)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void login_refusesAServerWhoseKeyChanged_exit7_andAWrongPassword_exit5() {
    registerAlice();

    server.answer(
        "POST",
        "/api/sessions",
        401,
        "{\"code\":\"invalid_credentials\",\"detail\":\"invalid credentials\"}");
    InProcessCli.Result wrongPassword = run("login");
    assertThat(wrongPassword.exitCode()).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
    assertThat(wrongPassword.err())
        .contains("invalid credentials (wrong username or password, or the session ended)");

    server.answer(
        "GET", "/api/server-key", 200, "{\"publicKey\":\"" + Bytes.base64(new byte[] {9}) + "\"}");
    InProcessCli.Result changedKey = run("login");
    assertThat(changedKey.exitCode()).isEqualTo(ExitCodes.UNTRUSTED);
    assertThat(changedKey.err()).contains("the server's key changed since this profile pinned it");
  }

  @Test
  void aPeerTheRegistryDoesNotKnow_exits6() {
    registerAlice();

    InProcessCli.Result result = run("fingerprint", "bob");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNKNOWN_USER);
    assertThat(result.err()).contains("no user called bob on this server");
  }

  @Test
  void send_whenTheServerHasNoRelayChannel_stillChecksTheRecipient_exit6() {
    registerAlice();

    InProcessCli.Result result = run("send", "bob", "hello");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNKNOWN_USER);
    assertThat(result.err()).contains("no user called bob on this server");
  }

  @Test
  void send_whenTheServerIsDown_withNoSessionToEncryptWith_exits4_andKeepsNothing() {
    registerAlice();
    server.close();

    InProcessCli.Result result = run("send", "bob", "hello");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err()).startsWith("securecom: cannot reach the server at http://127.0.0.1:");
  }

  @Test
  void aCommandWithoutAProfile_saysHowToMakeOne() {
    InProcessCli.Result none = run("contacts");
    assertThat(none.err())
        .contains("no profile for " + server.uri())
        .contains("securecom register <username>");

    InProcessCli.Result named = run("--user", "alice", "contacts");
    assertThat(named.exitCode()).isEqualTo(ExitCodes.PROFILE);
    assertThat(named.err()).contains("no profile at ").contains("run 'securecom register' first");
  }

  @Test
  void everyCommandsHelp_exits0_andPrintsItsUsage() {
    for (String command : SecureCom.commandLine().getSubcommands().keySet()) {
      InProcessCli.Result help = cli.run(command, "--help");
      assertThat(help.exitCode()).as(command + " --help: " + help.err()).isZero();
      assertThat(help.out()).as(command).contains("Usage: securecom " + command);
    }
  }

  @Test
  void noProfile_exits3_asDocumented() {
    InProcessCli.Result none = run("contacts");

    assertThat(none.exitCode()).isEqualTo(ExitCodes.PROFILE);
    assertThat(ExitCodes.HELP).contains("3  profile problem").contains("no such profile");
  }

  @Test
  void aNameThatIsNotAUsername_isAUsageError_exit2_sayingWhatAUsernameIs() {
    registerAlice();
    for (String[] args :
        new String[][] {
          {"send", "Bad Name!", "hi"},
          {"fingerprint", "Bad Name!"},
          {"register", "Erin"},
          {"--user", "Bad Name!", "contacts"},
          {"chat", "Erin"}
        }) {
      InProcessCli.Result result = run(args);
      assertThat(result.exitCode())
          .as(String.join(" ", args) + ": " + result.err())
          .isEqualTo(ExitCodes.USAGE);
      assertThat(result.err())
          .as(String.join(" ", args))
          .contains("is not a username: a username is 3-32 characters of a-z, 0-9, '.', '_' or '-'")
          .doesNotContain("URI")
          .doesNotContain("Exception")
          .doesNotContain("profile directory");
    }
  }

  @Test
  void aServerAddressThatIsNotOne_isAUsageError_exit2() {
    InProcessCli.Result result = cli.run("--server", "Bad Name!", "contacts");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("not a server address").doesNotContain("URISyntaxException");
  }

  @Test
  void send_refusesAnEmptyMessage_exit2_beforeAskingForAnything() {
    registerAlice();
    int before = server.requests().size();

    InProcessCli.Result result = run("send", "bob", "");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("an empty message is not sent");
    assertThat(server.requests()).hasSize(before);
  }

  @Test
  void loginsHelp_saysWhereTheTokenIsKept() {
    assertThat(cli.run("login", "--help").out())
        .contains("the session token is kept in your profile.")
        .doesNotContain("root.profile");
  }

  @Test
  void chatsTerminal_whenInputIsNotATerminal_opensWithoutJLinesWarning() throws Exception {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler recorder =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger jline = Logger.getLogger("org.jline");
    jline.addHandler(recorder);
    try (var terminal = new ProfileOptions().terminals.open()) {
      assertThat(terminal).isNotNull();
    } finally {
      jline.removeHandler(recorder);
    }
    assertThat(logged)
        .filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .extracting(LogRecord::getMessage)
        .isEmpty();
  }
}
