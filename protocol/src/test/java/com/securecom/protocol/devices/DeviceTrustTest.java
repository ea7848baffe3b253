package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.vectors.DeviceListBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each row of the pin table (docs/protocol.md, "Device lists"): what a client does with a list. */
class DeviceTrustTest {
  static final Ed25519.KeyPair ALICE = Ed25519.generate(new SecureRandom());
  static final Ed25519.KeyPair PENDING = Ed25519.generate(new SecureRandom());
  static final Ed25519.KeyPair MALLORY = Ed25519.generate(new SecureRandom());

  /** Alice's list: serial, lastDeviceId, then (id, createdAt) pairs. */
  static DeviceList list(long serial, int lastDeviceId, long... idsAndTimes) {
    List<DeviceEntry> entries = new ArrayList<>();
    for (int i = 0; i < idsAndTimes.length; i += 2) {
      entries.add(new DeviceEntry((int) idsAndTimes[i], idsAndTimes[i + 1]));
    }
    return DeviceList.of("alice", ALICE.publicKey(), serial, 100 + serial, lastDeviceId, entries);
  }

  static SignedDeviceList signed(DeviceList list) {
    return SignedDeviceList.sign(list, ALICE.privateKey());
  }

  static DeviceTrust.Verdict check(DeviceList pinned, SignedDeviceList served) {
    return DeviceTrust.check("alice", ALICE.publicKey(), pinned, served);
  }

  static final DeviceList PIN = list(5, 3, 1, 10, 3, 30);

  @Test
  void untrustedList_isRefused_andSaysWhy() {
    DeviceList added = list(6, 9, 1, 10, 3, 30, 9, 90);
    SignedDeviceList byMallory =
        new SignedDeviceList(added.encode(), Ed25519.sign(MALLORY.privateKey(), added.encode()));
    SignedDeviceList oldSignature = new SignedDeviceList(added.encode(), signed(PIN).signature());
    byte[] malformed =
        new DeviceListBytes().username("alice").identityKey(ALICE.publicKey()).build();
    SignedDeviceList signedMalformed =
        new SignedDeviceList(malformed, Ed25519.sign(ALICE.privateKey(), malformed));

    assertThat(check(PIN, byMallory)).isEqualTo(new DeviceTrust.Refused(Refusal.BAD_SIGNATURE));
    assertThat(check(PIN, oldSignature)).isEqualTo(new DeviceTrust.Refused(Refusal.BAD_SIGNATURE));
    assertThat(check(PIN, signedMalformed)).isEqualTo(new DeviceTrust.Refused(Refusal.MALFORMED));
    assertThat(Refusal.BAD_SIGNATURE.isUntrusted()).isTrue();
    assertThat(Refusal.WRONG_IDENTITY.isUntrusted()).isTrue();
    assertThat(Refusal.ROLLBACK.isUntrusted()).isFalse();
  }

  @Test
  void lowerSerial_orNoListAfterAPin_isARollback() {
    assertThat(check(PIN, signed(list(4, 3, 1, 10, 3, 30))))
        .isEqualTo(new DeviceTrust.Refused(Refusal.ROLLBACK));
    assertThat(check(PIN, signed(list(1, 1, 1, 10))))
        .isEqualTo(new DeviceTrust.Refused(Refusal.ROLLBACK));
    assertThat(check(PIN, null)).isEqualTo(new DeviceTrust.Refused(Refusal.ROLLBACK));
  }

  @Test
  void noListForALegacyContact_isUnchanged() {
    assertThat(check(null, null)).isEqualTo(new DeviceTrust.Unchanged());
  }

  @Test
  void sameSerialOtherBytes_isAFork_andTheSameBytesAreUnchanged() {
    assertThat(check(PIN, signed(PIN))).isEqualTo(new DeviceTrust.Unchanged());
    assertThat(check(PIN, signed(list(5, 3, 1, 10))))
        .isEqualTo(new DeviceTrust.Refused(Refusal.FORK));
    assertThat(check(PIN, signed(list(5, 4, 1, 10, 3, 30, 4, 40))))
        .isEqualTo(new DeviceTrust.Refused(Refusal.FORK));
  }

  @Test
  void higherSerialThatIsNoDescendant_isRefused() {
    DeviceTrust.Refused refused = new DeviceTrust.Refused(Refusal.NOT_DESCENDANT);
    // An id at most the pinned lastDeviceId that the pin lacks (2 was removed before the pin).
    assertThat(check(PIN, signed(list(6, 3, 1, 10, 2, 20, 3, 30)))).isEqualTo(refused);
    // A changed createdAt.
    assertThat(check(PIN, signed(list(6, 3, 1, 11, 3, 30)))).isEqualTo(refused);
    // A lower lastDeviceId.
    assertThat(check(PIN, signed(list(6, 2, 1, 10)))).isEqualTo(refused);
  }

  @Test
  void validDescendant_isAccepted_withWhatChanged() {
    SignedDeviceList next = signed(list(8, 5, 3, 30, 5, 50));

    DeviceTrust.Verdict verdict = check(PIN, next);

    assertThat(verdict).isInstanceOf(DeviceTrust.Accepted.class);
    DeviceTrust.Accepted accepted = (DeviceTrust.Accepted) verdict;
    assertThat(accepted.signed()).isEqualTo(next);
    assertThat(accepted.list().serial()).isEqualTo(8);
    assertThat(accepted.added()).containsExactly(5);
    assertThat(accepted.removed()).containsExactly(1);
  }

  @Test
  void ownListWithoutThisDevice_showsInRemoved() {
    // Device 3 reads its own account's list: it was removed.
    DeviceTrust.Accepted accepted = (DeviceTrust.Accepted) check(PIN, signed(list(6, 3, 1, 10)));
    assertThat(accepted.list().contains(3)).isFalse();
    assertThat(accepted.removed()).containsExactly(3);
  }

  @Test
  void legacyContact_acceptsAnyVerifiedList_asTheFirstPin() {
    DeviceTrust.Accepted accepted =
        (DeviceTrust.Accepted) check(null, signed(list(1, 2, 1, 10, 2, 20)));
    assertThat(accepted.added()).containsExactly(2);
    assertThat(accepted.removed()).isEmpty();

    DeviceTrust.Accepted withoutDevice1 =
        (DeviceTrust.Accepted) check(null, signed(list(3, 4, 4, 40)));
    assertThat(withoutDevice1.added()).containsExactly(4);
    assertThat(withoutDevice1.removed()).containsExactly(1);
  }

  @Test
  void pendingIdentity_isCheckedUnderItsOwnKey() {
    DeviceList pendingList =
        DeviceList.of("alice", PENDING.publicKey(), 1, 0, 1, List.of(new DeviceEntry(1, 0)));
    SignedDeviceList signed = SignedDeviceList.sign(pendingList, PENDING.privateKey());

    assertThat(DeviceTrust.check("alice", PENDING.publicKey(), null, signed))
        .isInstanceOf(DeviceTrust.Accepted.class);
    assertThat(DeviceTrust.check("alice", ALICE.publicKey(), null, signed))
        .isEqualTo(new DeviceTrust.Refused(Refusal.BAD_SIGNATURE));
  }

  @Test
  void pinOfAnotherAccount_isTheCallersBug() {
    assertThatThrownBy(() -> DeviceTrust.check("bob", ALICE.publicKey(), PIN, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceTrust.check("alice", MALLORY.publicKey(), PIN, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
