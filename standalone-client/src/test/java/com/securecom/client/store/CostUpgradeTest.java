package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP;
import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.fileNames;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.passphrase;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.store.CrashSafetyTest.SimulatedCrash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles made at a weaker Argon2id cost are raised to the current one when opened, crash-safely.
 */
class CostUpgradeTest {
  /** A cheap stand-in for a raised cost, so crash tests stay fast. */
  private static final Argon2Params RAISED = new Argon2Params(128, 2, 1);

  private static final StoreOptions RAISING = StoreOptions.DEFAULTS.withArgon2(RAISED, RAISED);

  @TempDir Path dir;

  @Test
  void productionDefault_isRfc9106SecondRecommendation_withinTheHeaderCeiling() {
    assertThat(Argon2Params.DEFAULT).isEqualTo(new Argon2Params(65536, 3, 4));
    assertThat(StoreOptions.DEFAULTS.targetCost()).isEqualTo(Argon2Params.DEFAULT);
    assertThat(StoreOptions.DEFAULTS.maxAccepted()).isEqualTo(Argon2Params.MAX_ACCEPTED);
    assertThat(Argon2Params.DEFAULT.exceeds(Argon2Params.MAX_ACCEPTED)).isFalse();
    assertThat(Argon2Params.OWASP_MINIMUM).isEqualTo(new Argon2Params(19456, 2, 1));
    assertThat(Argon2Params.OWASP_MINIMUM.isWeakerThan(Argon2Params.DEFAULT)).isTrue();
  }

  @Test
  void weaker_meansLessMemoryOrLessMemoryTimesPasses_notFewerLanes() {
    Argon2Params target = Argon2Params.DEFAULT;
    assertThat(target.isWeakerThan(target)).isFalse();
    assertThat(new Argon2Params(65536, 2, 4).isWeakerThan(target)).isTrue();
    assertThat(new Argon2Params(32768, 8, 4).isWeakerThan(target)).isTrue();
    assertThat(new Argon2Params(65536, 3, 1).isWeakerThan(target)).isFalse();
    assertThat(new Argon2Params(262144, 1, 4).isWeakerThan(target)).isFalse();
  }

  @Test
  void targetAboveTheCeiling_isRefused() {
    assertThatThrownBy(() -> StoreOptions.DEFAULTS.withArgon2(RAISED, CHEAP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void profileAtTheOldCost_isReencryptedAtTheNewCostOnFirstUnlock_andOpensAfterwards()
      throws Exception {
    ProfileStore.create(dir, info(), passphrase(), state(1), Argon2Params.OWASP_MINIMUM).close();
    StateFile.Header before = header();
    assertThat(before.cost()).isEqualTo(Argon2Params.OWASP_MINIMUM);

    try (OpenProfile profile = ProfileStore.open(dir, passphrase())) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
    StateFile.Header after = header();
    assertThat(after.cost()).isEqualTo(Argon2Params.DEFAULT);
    assertThat(after.salt()).isNotEqualTo(before.salt());

    try (OpenProfile profile = ProfileStore.open(dir, passphrase())) {
      assertThat(profile.state()).isEqualTo(state(1));
      profile.write(state(2));
    }
    assertThat(header().cost()).as("writes keep the new cost").isEqualTo(Argon2Params.DEFAULT);
    assertThatThrownBy(() -> ProfileStore.open(dir, "correct horse battery stapler".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void crashBeforeTheRename_leavesTheOldCostProfile_whichOpensAndIsRaisedNextTime()
      throws Exception {
    create(dir, state(1)).close();
    assertThatThrownBy(
            () ->
                ProfileStore.open(
                    dir,
                    passphrase(),
                    RAISING.withCrashPoint(crashAt(CrashPoint.Step.TEMP_SYNCED))))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(fileNames(dir)).anyMatch(n -> n.startsWith("state.bin.") && n.endsWith(".tmp"));
    assertThat(header().cost()).isEqualTo(CHEAP);

    try (OpenProfile profile = ProfileStore.open(dir, passphrase(), RAISING)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
    assertThat(header().cost()).isEqualTo(RAISED);
    assertThat(fileNames(dir)).containsExactlyInAnyOrder("profile.json", "state.bin", "lock");
  }

  @Test
  void crashAfterTheRename_leavesTheNewCostProfile_whichOpensWithTheSamePassphrase()
      throws Exception {
    create(dir, state(1)).close();
    assertThatThrownBy(
            () ->
                ProfileStore.open(
                    dir, passphrase(), RAISING.withCrashPoint(crashAt(CrashPoint.Step.RENAMED))))
        .isInstanceOf(SimulatedCrash.class);
    assertThat(header().cost()).isEqualTo(RAISED);

    try (OpenProfile profile = ProfileStore.open(dir, passphrase(), RAISING)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  @Test
  void ioFailureDuringTheUpgrade_leavesTheProfileOpenAndUsable_andTheNextUnlockRaisesIt()
      throws Exception {
    create(dir, state(1)).close();
    AtomicBoolean failedOnce = new AtomicBoolean();
    CrashPoint diskFullOnce =
        (name, step) -> {
          if (step == CrashPoint.Step.TEMP_SYNCED && failedOnce.compareAndSet(false, true)) {
            throw new IOException("disk full");
          }
        };
    try (OpenProfile profile =
        ProfileStore.open(dir, passphrase(), RAISING.withCrashPoint(diskFullOnce))) {
      assertThat(failedOnce).isTrue();
      assertThat(profile.state()).isEqualTo(state(1));
      assertThat(header().cost()).isEqualTo(CHEAP);
      profile.write(state(2));
    }
    try (OpenProfile profile = ProfileStore.open(dir, passphrase(), RAISING)) {
      assertThat(profile.state()).isEqualTo(state(2));
    }
    assertThat(header().cost()).isEqualTo(RAISED);
  }

  @Test
  void profileAtAStrongerCost_isLeftAsItIs() throws Exception {
    ProfileStore.create(dir, info(), passphrase(), state(1), RAISED).close();
    byte[] before = Files.readAllBytes(dir.resolve("state.bin"));
    try (OpenProfile profile =
        ProfileStore.open(dir, passphrase(), StoreOptions.DEFAULTS.withArgon2(CHEAP, RAISED))) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
    assertThat(Files.readAllBytes(dir.resolve("state.bin"))).isEqualTo(before);
  }

  @Test
  void profileAtTheTargetCost_isNotRewrittenWhenOpened() throws Exception {
    create(dir, state(1)).close();
    byte[] before = Files.readAllBytes(dir.resolve("state.bin"));
    TestProfiles.open(dir).close();
    assertThat(Files.readAllBytes(dir.resolve("state.bin"))).isEqualTo(before);
  }

  private StateFile.Header header() throws Exception {
    return StateFile.readHeader(
        Files.readAllBytes(dir.resolve("state.bin")), Argon2Params.MAX_ACCEPTED);
  }

  private static CrashPoint crashAt(CrashPoint.Step step) {
    return (name, reached) -> {
      if (name.equals("state.bin") && reached == step) {
        throw new SimulatedCrash();
      }
    };
  }
}
