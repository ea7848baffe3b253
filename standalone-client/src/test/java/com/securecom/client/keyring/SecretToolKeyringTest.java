package com.securecom.client.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretToolKeyringTest {
  private static final String SECRET = "kQ3v_Zr8-secret-never-on-a-command-line";
  @TempDir Path dir;

  @BeforeEach
  void needsAShell() {
    assumeTrue(FakeSecretTool.runnable(), "no /bin/sh to run the fake secret-tool");
  }

  @Test
  void storeLookupClear_roundTrip_withTheSecretOnlyOnStandardInput() throws Exception {
    FakeSecretTool tool = FakeSecretTool.install(dir);
    Keyring keyring = tool.keyring();
    keyring.store("0123abcd", "SecureCom profile key of alice", SECRET.toCharArray());
    assertThat(keyring.lookup("0123abcd"))
        .hasValueSatisfying(s -> assertThat(new String(s)).isEqualTo(SECRET));
    keyring.clear("0123abcd");
    assertThat(keyring.lookup("0123abcd")).isEmpty();
    assertThat(tool.argumentsLog())
        .contains(
            "store --label=SecureCom profile key of alice application securecom entry 0123abcd")
        .contains("lookup application securecom entry 0123abcd")
        .doesNotContain(SECRET);
  }

  @Test
  void lookupOfAMissingEntry_isEmpty() throws Exception {
    Keyring keyring = FakeSecretTool.install(dir).keyring();
    keyring.store("aaaa", "other", SECRET.toCharArray());
    assertThat(keyring.lookup("bbbb")).isEmpty();
  }

  @Test
  void noSecretService_failsWithNoOsKeyringFound() throws Exception {
    Keyring keyring = FakeSecretTool.withoutSecretService(dir).keyring();
    assertThatThrownBy(() -> keyring.store("aaaa", "label", SECRET.toCharArray()))
        .isInstanceOf(KeyringException.class)
        .hasMessageStartingWith("no OS keyring found; choose a passphrase")
        .hasMessageContaining("Cannot autolaunch D-Bus")
        .message()
        .doesNotContain(SECRET);
    assertThatThrownBy(() -> keyring.lookup("aaaa")).isInstanceOf(KeyringException.class);
  }

  @Test
  void missingExecutable_failsWithNoOsKeyringFound() {
    Keyring keyring = new SecretToolKeyring(dir.resolve("nowhere/secret-tool"));
    assertThatThrownBy(() -> keyring.store("aaaa", "label", SECRET.toCharArray()))
        .isInstanceOf(KeyringException.class)
        .hasMessageStartingWith("no OS keyring found; choose a passphrase");
  }

  @Test
  void find_usesTheFirstSecretToolOnThePath_orFindsNone() throws Exception {
    FakeSecretTool tool = FakeSecretTool.install(dir.resolve("keyring"));
    String path = dir.resolve("empty") + File.pathSeparator + tool.binDirectory();
    assertThat(SecretToolKeyring.find(path)).isPresent();
    assertThat(SecretToolKeyring.find(dir.resolve("empty").toString())).isEmpty();
    assertThat(SecretToolKeyring.find(null)).isEmpty();
  }
}
