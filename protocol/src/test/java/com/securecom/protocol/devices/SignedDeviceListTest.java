package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.vectors.DeviceListBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A list verifies only as its signer signed it, for its account, naming its signer's key. */
class SignedDeviceListTest {
  static final Ed25519.KeyPair ALICE = Ed25519.generate(new SecureRandom());
  static final Ed25519.KeyPair MALLORY = Ed25519.generate(new SecureRandom());
  static final DeviceList LIST =
      DeviceList.of(
          "alice",
          ALICE.publicKey(),
          2,
          1000,
          2,
          List.of(new DeviceEntry(1, 10), new DeviceEntry(2, 20)));

  static Refusal reasonOf(SignedDeviceList signed, String username, byte[] key) {
    try {
      signed.verify(username, key);
      throw new AssertionError("verified");
    } catch (DeviceListRefusedException e) {
      return e.reason();
    }
  }

  @Test
  void signedList_verifiesToTheList() throws Exception {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    assertThat(signed.body()).isEqualTo(LIST.encode());
    assertThat(signed.signature()).hasSize(64);
    assertThat(signed.verify("alice", ALICE.publicKey())).isEqualTo(LIST);
  }

  @Test
  void sign_refusesAListNamingAnotherKey() {
    assertThatThrownBy(() -> SignedDeviceList.sign(LIST, MALLORY.privateKey()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyFlippedBitOfTheBody_isRefused() {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    byte[] body = signed.body();
    for (int bit = 0; bit < body.length * 8; bit++) {
      SignedDeviceList tampered = new SignedDeviceList(Bits.flip(body, bit), signed.signature());
      assertThat(reasonOf(tampered, "alice", ALICE.publicKey()))
          .as("bit %d", bit)
          .isEqualTo(Refusal.BAD_SIGNATURE);
    }
  }

  @Test
  void everyFlippedBitOfTheSignature_isRefused() {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    byte[] signature = signed.signature();
    for (int bit = 0; bit < signature.length * 8; bit++) {
      SignedDeviceList tampered = new SignedDeviceList(signed.body(), Bits.flip(signature, bit));
      assertThat(reasonOf(tampered, "alice", ALICE.publicKey()))
          .as("bit %d", bit)
          .isEqualTo(Refusal.BAD_SIGNATURE);
    }
  }

  @Test
  void anotherKeysList_isABadSignature_underThePinnedKey() {
    DeviceList mallorys =
        DeviceList.of("alice", MALLORY.publicKey(), 3, 0, 9, List.of(new DeviceEntry(9, 0)));
    SignedDeviceList signed = SignedDeviceList.sign(mallorys, MALLORY.privateKey());
    assertThat(reasonOf(signed, "alice", ALICE.publicKey())).isEqualTo(Refusal.BAD_SIGNATURE);
  }

  @Test
  void signatureOfWrongLength_isRefused() {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    for (int length : new int[] {0, 63, 65}) {
      SignedDeviceList cut =
          new SignedDeviceList(signed.body(), Arrays.copyOf(signed.signature(), length));
      assertThat(reasonOf(cut, "alice", ALICE.publicKey())).isEqualTo(Refusal.BAD_SIGNATURE);
    }
  }

  @Test
  void signedButMalformed_isMalformed() {
    byte[] body =
        new DeviceListBytes()
            .username("alice")
            .identityKey(ALICE.publicKey())
            .serial(2)
            .lastDeviceId(2)
            .entry(2, 0)
            .entry(1, 0)
            .build();
    SignedDeviceList signed = new SignedDeviceList(body, Ed25519.sign(ALICE.privateKey(), body));
    assertThat(reasonOf(signed, "alice", ALICE.publicKey())).isEqualTo(Refusal.MALFORMED);
  }

  @Test
  void listForAnotherUsername_isWrongUsername() {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    assertThat(reasonOf(signed, "alicf", ALICE.publicKey())).isEqualTo(Refusal.WRONG_USERNAME);
    assertThat(reasonOf(signed, "Alice", ALICE.publicKey())).isEqualTo(Refusal.WRONG_USERNAME);
    assertThat(reasonOf(signed, null, ALICE.publicKey())).isEqualTo(Refusal.WRONG_USERNAME);
  }

  @Test
  void listNamingAnotherKey_isWrongIdentity() {
    byte[] body =
        new DeviceListBytes()
            .username("alice")
            .identityKey(MALLORY.publicKey())
            .serial(2)
            .lastDeviceId(1)
            .entry(1, 0)
            .build();
    SignedDeviceList signed = new SignedDeviceList(body, Ed25519.sign(ALICE.privateKey(), body));
    assertThat(reasonOf(signed, "alice", ALICE.publicKey())).isEqualTo(Refusal.WRONG_IDENTITY);
  }

  @Test
  void bytes_areCopied_andEqualityIsByContent() {
    SignedDeviceList signed = SignedDeviceList.sign(LIST, ALICE.privateKey());
    byte[] body = signed.body();
    body[0] ^= 1;
    assertThat(signed.body()).isEqualTo(LIST.encode());
    assertThat(new SignedDeviceList(signed.body(), signed.signature())).isEqualTo(signed);
    assertThat(new SignedDeviceList(signed.body(), signed.signature()).hashCode())
        .isEqualTo(signed.hashCode());
  }
}
