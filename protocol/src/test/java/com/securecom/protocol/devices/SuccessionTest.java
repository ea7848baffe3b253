package com.securecom.protocol.devices;

import static com.securecom.protocol.devices.DeviceTrustTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Descendants, successors and the kinds of change the server's two upload calls accept. */
class SuccessionTest {
  static final DeviceList STORED = list(5, 3, 1, 10, 3, 30);

  @Test
  void successor_isADescendantWithTheNextSerial() {
    assertThat(Succession.isSuccessor(STORED, list(6, 3, 1, 10))).isTrue();
    assertThat(Succession.isSuccessor(STORED, list(7, 3, 1, 10))).isFalse();
    assertThat(Succession.isDescendant(STORED, list(7, 3, 1, 10))).isTrue();
    assertThat(Succession.isDescendant(STORED, STORED)).isFalse();
  }

  @Test
  void legacy_isSerial0_lastDeviceId1_device1WithAnyCreatedAt() {
    assertThat(Succession.isSuccessor(null, list(1, 1, 1, 999))).isTrue();
    assertThat(Succession.isSuccessor(null, list(2, 1, 1, 999))).isFalse();
    assertThat(Succession.change(null, list(1, 1, 1, 999))).isEqualTo(Succession.Change.RESIGN);
    assertThat(Succession.change(null, list(1, 2, 1, 5, 2, 6))).isEqualTo(Succession.Change.LINK);
    assertThat(Succession.change(null, list(1, 2, 2, 6))).isEqualTo(Succession.Change.OTHER);
  }

  @Test
  void change_namesLinkRemovalAndResign() {
    assertThat(Succession.change(STORED, list(6, 4, 1, 10, 3, 30, 4, 40)))
        .isEqualTo(Succession.Change.LINK);
    assertThat(Succession.change(STORED, list(6, 3, 3, 30))).isEqualTo(Succession.Change.REMOVAL);
    assertThat(Succession.change(STORED, list(6, 3, 1, 10, 3, 30)))
        .isEqualTo(Succession.Change.RESIGN);
  }

  @Test
  void change_isOther_forAnythingElse() {
    // a link that skips an id
    assertThat(Succession.change(STORED, list(6, 5, 1, 10, 3, 30, 5, 50)))
        .isEqualTo(Succession.Change.OTHER);
    // a link and a removal at once
    assertThat(Succession.change(STORED, list(6, 4, 3, 30, 4, 40)))
        .isEqualTo(Succession.Change.OTHER);
    // lastDeviceId raised with no new entry
    assertThat(Succession.change(STORED, list(6, 4, 1, 10, 3, 30)))
        .isEqualTo(Succession.Change.OTHER);
    // two links at once
    assertThat(Succession.change(STORED, list(6, 5, 1, 10, 3, 30, 4, 40, 5, 50)))
        .isEqualTo(Succession.Change.OTHER);
  }

  @Test
  void change_ofANonSuccessor_isRefused() {
    assertThatThrownBy(() -> Succession.change(STORED, list(7, 3, 1, 10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listsOfDifferentAccounts_areNotCompared() {
    Ed25519.KeyPair other = Ed25519.generate(new SecureRandom());
    DeviceList bobs =
        DeviceList.of("bobby", STORED.identityKey(), 6, 0, 3, List.of(new DeviceEntry(1, 10)));
    DeviceList otherKey =
        DeviceList.of("alice", other.publicKey(), 6, 0, 3, List.of(new DeviceEntry(1, 10)));
    assertThatThrownBy(() -> Succession.isDescendant(STORED, bobs))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Succession.isDescendant(STORED, otherKey))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
