package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code securecom} refuses a plain-http server address for another machine with exit code 10 and a
 * one-line reason, before asking for a password or sending anything; help still works with any
 * address.
 */
class InsecureServerTest {
  @TempDir Path home;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli =
        SecureCom.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void register_withPlainHttpToAnotherHost_exits10_beforeAnythingElse() {
    int code =
        run(
            "--home",
            home.toString(),
            "--server",
            "http://chat.example.org:8080",
            "register",
            "alice");

    assertThat(code).isEqualTo(ExitCodes.INSECURE);
    assertThat(err.toString())
        .startsWith("securecom: refusing http://chat.example.org")
        .contains("use https://chat.example.org:8080");
    assertThat(home)
        .isEmptyDirectory(); // no profile was created: it stopped before the command ran
  }

  @Test
  void theServerOption_afterTheCommand_isCheckedToo() {
    assertThat(run("login", "--home", home.toString(), "--server", "http://192.0.2.7"))
        .isEqualTo(ExitCodes.INSECURE);
    assertThat(run("receive", "--home", home.toString(), "-s", "http://chat.example.org"))
        .isEqualTo(ExitCodes.INSECURE);
  }

  @Test
  void help_isShown_whateverTheAddress() {
    assertThat(run("--server", "http://chat.example.org", "--help")).isZero();
    assertThat(run("--server", "http://chat.example.org", "help", "send")).isZero();
    assertThat(out.toString()).contains("10  insecure server address");
  }
}
