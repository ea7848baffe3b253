package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where secrets come from without a terminal: the environment first, else one line of standard
 * input.
 */
class SecretsTest {
  private final ByteArrayOutputStream prompts = new ByteArrayOutputStream();

  private Secrets secrets(Map<String, String> environment, InputStream in) {
    return new Secrets(
        environment::get, null, in, new PrintStream(prompts, true, StandardCharsets.UTF_8));
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theEnvironment_comesFirst_andNothingIsAsked() {
    Secrets secrets =
        secrets(
            Map.of("SECURECOM_PASSPHRASE", "from the environment", "SECURECOM_PASSWORD", "pw"),
            InProcessCli.NO_INPUT);

    assertThat(secrets.passphrase()).isEqualTo("from the environment".toCharArray());
    assertThat(secrets.newPassphrase()).isEqualTo("from the environment".toCharArray());
    assertThat(secrets.password(true)).isEqualTo("pw");
    assertThat(prompts.size()).isZero();
  }

  @Test
  void withoutATerminal_eachSecretIsOneLineOfStdin_andTheRestIsLeftUnread() throws Exception {
    InputStream in = stdin("pässphrase one\r\npassword two\nthe message to send\n");
    Secrets secrets = secrets(Map.of(), in);

    assertThat(secrets.passphrase()).isEqualTo("pässphrase one".toCharArray());
    assertThat(secrets.password(false)).isEqualTo("password two");
    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("the message to send\n");
    assertThat(prompts.toString(StandardCharsets.UTF_8))
        .isEqualTo("Profile passphrase: Account password: ");
  }

  @Test
  void aLastLineWithoutNewline_counts_butNoInputAtAll_isRefused() {
    assertThat(secrets(Map.of(), stdin("no newline")).passphrase())
        .isEqualTo("no newline".toCharArray());

    assertThatThrownBy(() -> secrets(Map.of(), stdin("")).password(false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no account password given (set it in the environment)");
  }
}
