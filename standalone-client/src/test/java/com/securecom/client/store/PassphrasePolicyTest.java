package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasePolicyTest {
  private static final List<String> ALICE = List.of("alice", "chat.example.org");
  @TempDir Path base;

  @Test
  void emptyPassphrase_isRefused() {
    assertThatThrownBy(() -> PassphrasePolicy.check(new char[0], ALICE))
        .isInstanceOf(WeakPassphraseException.class)
        .hasMessageStartingWith("the passphrase is empty");
  }

  @Test
  void shortPassphrase_isRefusedWithItsLengthAndTheMinimum() {
    assertThatThrownBy(() -> PassphrasePolicy.check("Tr0ub4dor&3".toCharArray(), ALICE))
        .isInstanceOf(WeakPassphraseException.class)
        .hasMessage(
            "passphrase too short (11 characters): use at least 15; four or more random words work well");
  }

  @Test
  void length_countsCharactersNotUtf16Units() {
    String fourteenEmoji = "\uD83D\uDE00".repeat(14);
    assertThatThrownBy(() -> PassphrasePolicy.check(fourteenEmoji.toCharArray(), ALICE))
        .hasMessageStartingWith("passphrase too short (14 characters)");
  }

  @Test
  void longButPredictablePassphrase_isRefusedWithZxcvbnsReason() {
    assertThatThrownBy(() -> PassphrasePolicy.check("iloveyouiloveyou".toCharArray(), ALICE))
        .isInstanceOf(WeakPassphraseException.class)
        .hasMessageStartingWith("passphrase too weak: Repeats like")
        .hasMessageContaining("guesses would find it")
        .hasMessageContaining("at least 10^10 are needed")
        .hasMessageEndingWith("four or more random words work well.")
        .message()
        .doesNotContain("iloveyou");
  }

  @Test
  void passphraseWithoutAWarning_stillSaysWhyAndWhatToDo() {
    assertThatThrownBy(() -> PassphrasePolicy.check("Password1234567!".toCharArray(), ALICE))
        .isInstanceOf(WeakPassphraseException.class)
        .hasMessageMatching(
            "passphrase too weak: .*About 10\\^\\d+ guesses would find it.*random words work well\\.");
  }

  @Test
  void passphraseMadeOfTheUsernameAndServer_isRefused() {
    assertThatThrownBy(() -> PassphrasePolicy.check("alice@chat.example.org".toCharArray(), ALICE))
        .isInstanceOf(WeakPassphraseException.class)
        .hasMessageStartingWith("passphrase too weak");
  }

  @Test
  void randomWords_areAccepted() {
    assertThatCode(
            () -> PassphrasePolicy.check("correct horse battery staple".toCharArray(), ALICE))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                PassphrasePolicy.check(
                    "profile passphrase of alice.swap".toCharArray(),
                    List.of("alice.swap", "localhost")))
        .doesNotThrowAnyException();
  }

  @Test
  void check_leavesTheCallersArrayAsItWas() {
    // zxcvbn4j's Strength.wipe() blanks a writable CharBuffer: the policy must not blank the
    // passphrase it checks.
    char[] passphrase = "correct horse battery staple".toCharArray();
    PassphrasePolicy.check(passphrase, ALICE);
    assertThat(new String(passphrase)).isEqualTo("correct horse battery staple");
  }

  @Test
  void create_refusesAWeakPassphrase_andCreatesNothing() {
    Path dir = base.resolve("p");
    assertThatThrownBy(() -> ProfileStore.create(dir, info(), "".toCharArray(), state(1), CHEAP))
        .isInstanceOf(WeakPassphraseException.class);
    assertThatThrownBy(
            () ->
                ProfileStore.create(dir, info(), "alicealicealice1".toCharArray(), state(1), CHEAP))
        .isInstanceOf(WeakPassphraseException.class);
    assertThat(Files.exists(dir)).isFalse();
  }
}
