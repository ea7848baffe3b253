package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.net.TinyHttpServer;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securecom devices link}, in-process: a code that is mistyped, expired, or not confirmed
 * sends nothing, and each ends with its documented exit code.
 */
class LinkDeviceCommandTest {
  @TempDir Path home;

  private final SecureRandom random = new SecureRandom();
  private TinyHttpServer server;
  private InProcessCli cli;

  @BeforeEach
  void registerAlice() throws Exception {
    server = InProcessCli.accountServer();
    cli = InProcessCli.withSecrets(home);
    assertThat(run("register", "alice").exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private InProcessCli.Result run(String... args) {
    List<String> full = new ArrayList<>(List.of("--server", server.uri().toString()));
    full.addAll(List.of(args));
    return cli.run(full.toArray(String[]::new));
  }

  private LinkCode code(long expiresAt) {
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    return new LinkCode(X25519.generate(random).publicKey(), secret, expiresAt);
  }

  @Test
  void aMistypedCode_isAUsageError_andNothingIsAskedOfTheServer() {
    String text = code(Instant.now().getEpochSecond() + 600).text();
    char first = text.charAt(0);
    String typo = (first == '0' ? '1' : '0') + text.substring(1);
    int before = server.requests().size();

    InProcessCli.Result result = run("devices", "link", typo, "--yes");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("this is not a link code; check for a typo");
    assertThat(server.requests()).hasSize(before);
  }

  @Test
  void anExpiredCode_failsTheLink_beforeAnythingIsSent() {
    InProcessCli.Result result =
        run("devices", "link", code(Instant.now().getEpochSecond() - 121).text(), "--yes");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.LINK_FAILED);
    assertThat(result.err()).contains("this link code expired at");
  }

  @Test
  void aLinkNotConfirmed_sendsNothing() {
    int before = server.requests().size();
    InProcessCli.Result result =
        cli.answering("n\n")
            .run(
                "--server",
                server.uri().toString(),
                "devices",
                "link",
                code(Instant.now().getEpochSecond() + 600).qrText());

    assertThat(result.out())
        .contains("will read all your future messages")
        .contains("Nothing was linked");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(server.requests()).hasSize(before);
  }
}
