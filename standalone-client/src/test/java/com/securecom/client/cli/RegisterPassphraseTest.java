package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.client.keyring.FakeSecretTool;
import com.securecom.client.keyring.Keyring;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileInfo;
import com.securecom.client.store.ProfileKeyring;
import com.securecom.client.store.ProfileStore;
import jakarta.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passphrase rules of {@code securecom register} and opening a {@code --no-passphrase} profile,
 * run in-process with the secrets and the keyring of the test's choosing. Every refusal here comes
 * before the server is contacted (the server URL points at a closed port).
 */
class RegisterPassphraseTest {
  private static final String SERVER = "http://127.0.0.1:9";
  private static final String PASSWORD = "account password, 10+ chars";

  @TempDir Path home;
  private String out = "";
  private String err = "";

  /**
   * Runs {@code securecom --server SERVER --home home args} with these secrets in the environment.
   */
  private int run(
      Map<String, String> environment, Supplier<Optional<Keyring>> keyrings, String... args) {
    InProcessCli cli = new InProcessCli(home).keyrings(keyrings);
    environment.forEach(cli::env);
    String[] full = new String[args.length + 2];
    full[0] = "--server";
    full[1] = SERVER;
    System.arraycopy(args, 0, full, 2, args.length);
    InProcessCli.Result result = cli.run(full);
    out += result.out();
    err += result.err();
    return result.exitCode();
  }

  private static Map<String, String> secrets(String passphrase) {
    Map<String, String> environment = new HashMap<>();
    environment.put("SECURECOM_PASSWORD", PASSWORD);
    if (passphrase != null) {
      environment.put("SECURECOM_PASSPHRASE", passphrase);
    }
    return environment;
  }

  private static Supplier<Optional<Keyring>> noKeyring() {
    return Optional::empty;
  }

  @Test
  void emptyPassphrase_isRefusedWithoutNoPassphrase() throws Exception {
    int code = run(secrets(""), noKeyring(), "register", "alice");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .startsWith("securecom: an empty passphrase is refused")
        .contains("at least 15 characters")
        .contains("--no-passphrase");
    assertThat(Files.exists(home)).as("nothing created").isTrue();
    try (var files = Files.walk(home)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void weakPassphrase_isRefusedWithTheReason() {
    int code = run(secrets("iloveyouiloveyou"), noKeyring(), "register", "alice");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .startsWith("securecom: passphrase too weak: Repeats like")
        .contains("random words work well")
        .doesNotContain("iloveyou");
  }

  @Test
  void shortPassphrase_isRefusedWithTheMinimum() {
    int code = run(secrets("Tr0ub4dor&3"), noKeyring(), "register", "alice");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("passphrase too short (11 characters): use at least 15");
  }

  @Test
  void noPassphrase_withoutAKeyring_failsClearlyBeforeAskingAnything() {
    int code = run(Map.of(), noKeyring(), "register", "--no-passphrase", "alice");
    assertThat(code).isEqualTo(ExitCodes.PROFILE);
    assertThat(err.toString()).startsWith("securecom: no OS keyring found; choose a passphrase");
  }

  @Test
  void noPassphrase_whenRegistrationFails_leavesNoKeyNorKeyringFileBehind() throws Exception {
    assumeTrue(FakeSecretTool.runnable(), "no /bin/sh to run the fake secret-tool");
    FakeSecretTool tool = FakeSecretTool.install(home.resolve("keyring"));
    int code =
        run(
            secrets(null),
            () -> Optional.of(tool.keyring()),
            "register",
            "--no-passphrase",
            "alice");
    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(tool.argumentsLog()).contains("store ").contains("clear ");
    assertThat(tool.entries()).isZero();
    assertThat(ProfileKeyring.isKeyringProfile(home.resolve("127.0.0.1_9/alice"))).isFalse();
  }

  @Test
  void keyringProfile_opensWithoutAPassphrasePrompt() throws Exception {
    assumeTrue(FakeSecretTool.runnable(), "no /bin/sh to run the fake secret-tool");
    FakeSecretTool tool = FakeSecretTool.install(home.resolve("keyring"));
    Path dir = home.resolve("127.0.0.1_9/alice");
    char[] key = ProfileKeyring.newKey(dir, tool.keyring(), "label", new SecureRandom()).key();
    ProfileInfo info = ProfileInfo.of(URI.create(SERVER), "alice", new byte[32], Instant.now());
    ProfileStore.create(dir, info, key.clone(), Json.createObjectBuilder().add("v", 1).build())
        .close();

    ProfileOptions options = new ProfileOptions();
    // asking would fail
    options.secrets =
        new Secrets(Map.<String, String>of()::get, null, InProcessCli.NO_INPUT, System.err);
    options.keyrings = () -> Optional.of(tool.keyring());
    char[] secret = options.secret(dir);
    assertThat(secret).isEqualTo(key);
    try (OpenProfile profile = ProfileStore.open(dir, secret)) {
      assertThat(profile.state().getInt("v")).isEqualTo(1);
    }
  }

  @Test
  void keyringProfile_withoutAKeyring_failsClearly() throws Exception {
    assumeTrue(FakeSecretTool.runnable(), "no /bin/sh to run the fake secret-tool");
    FakeSecretTool tool = FakeSecretTool.install(home.resolve("keyring"));
    Path dir = home.resolve("127.0.0.1_9/alice");
    ProfileKeyring.newKey(dir, tool.keyring(), "label", new SecureRandom());
    int code = run(secrets(null), noKeyring(), "--user", "alice", "contacts");
    assertThat(code).isEqualTo(ExitCodes.PROFILE);
    assertThat(err.toString())
        .contains("keeps its key in the OS keyring")
        .contains("no OS keyring was found");
  }

  @Test
  void help_documentsTheNoPassphraseOptionAndTheExitCodes() {
    run(Map.of(), noKeyring(), "help", "register");
    assertThat(out.toString()).contains("--no-passphrase").contains("at least 15 characters");
    run(Map.of(), noKeyring(), "--help");
    assertThat(out.toString())
        .contains("2  wrong usage, or a new passphrase too weak (the message says why)")
        .contains("another securecom, or no OS keyring for a --no-passphrase profile");
  }
}
