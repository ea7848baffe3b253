package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Version 3 signed prekey signatures bind the prekey to one device; version 2 is device 1's only.
 */
class SignedPreKeysTest {
  static final Ed25519.KeyPair IDENTITY = Ed25519.generate(new SecureRandom());
  static final byte[] PREKEY = Bytes.sha256(Bytes.ascii("a prekey"));
  static final long KEY_ID = 42;
  static final long CREATED_AT = 1_735_732_800L;

  static byte[] v3(int deviceId) {
    return Ed25519.sign(
        IDENTITY.privateKey(),
        KeySignatures.signedPreKeyMessageV3(deviceId, KEY_ID, CREATED_AT, PREKEY));
  }

  static byte[] v2() {
    return Ed25519.sign(
        IDENTITY.privateKey(), KeySignatures.signedPreKeyMessage(KEY_ID, CREATED_AT, PREKEY));
  }

  static boolean verifies(int deviceId, byte[] signature) {
    return SignedPreKeys.verifies(
        IDENTITY.publicKey(), deviceId, KEY_ID, CREATED_AT, PREKEY, signature);
  }

  @Test
  void v3Message_isTheDocumentedLayout() {
    assertThat(KeySignatures.signedPreKeyMessageV3(3, KEY_ID, CREATED_AT, PREKEY))
        .isEqualTo(
            Bytes.concat(
                Bytes.ascii("SecureCom signed prekey v3"),
                ByteBuffer.allocate(20).putInt(3).putLong(KEY_ID).putLong(CREATED_AT).array(),
                PREKEY))
        .hasSize(26 + 4 + 8 + 8 + 32);
    assertThatThrownBy(() -> KeySignatures.signedPreKeyMessageV3(-1, KEY_ID, CREATED_AT, PREKEY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void v3_verifiesForItsDeviceOnly() {
    assertThat(verifies(2, v3(2))).isTrue();
    assertThat(verifies(1, v3(1))).isTrue();
    assertThat(verifies(999_999_999, v3(999_999_999))).isTrue();
    assertThat(verifies(3, v3(2))).isFalse();
    assertThat(verifies(1, v3(2))).isFalse();
    assertThat(verifies(2, v3(1))).isFalse();
  }

  @Test
  void v2_verifiesForDevice1Only() {
    assertThat(verifies(1, v2())).isTrue();
    assertThat(verifies(2, v2())).isFalse();
    assertThat(KeySignatures.isSignedPreKey(IDENTITY.publicKey(), KEY_ID, CREATED_AT, PREKEY, v2()))
        .as("version 2 itself is unchanged")
        .isTrue();
  }

  @Test
  void invalidDeviceIds_neverVerify_evenWhenSignedSo() {
    assertThat(verifies(0, v3(0))).isFalse();
    assertThat(verifies(1_000_000_000, v3(1_000_000_000))).isFalse();
    assertThat(verifies(-1, v3(1))).isFalse();
    assertThat(
            KeySignatures.isSignedPreKeyV3(
                IDENTITY.publicKey(), -1, KEY_ID, CREATED_AT, PREKEY, v3(1)))
        .isFalse();
  }

  @Test
  void v3_doesNotVerifyAsAnotherKeyIdTimeKeyOrSigner() {
    byte[] signature = v3(2);
    assertThat(
            SignedPreKeys.verifies(
                IDENTITY.publicKey(), 2, KEY_ID + 1, CREATED_AT, PREKEY, signature))
        .isFalse();
    assertThat(
            SignedPreKeys.verifies(
                IDENTITY.publicKey(), 2, KEY_ID, CREATED_AT + 1, PREKEY, signature))
        .isFalse();
    assertThat(
            SignedPreKeys.verifies(
                IDENTITY.publicKey(), 2, KEY_ID, CREATED_AT, Bits.flip(PREKEY, 0), signature))
        .isFalse();
    assertThat(
            SignedPreKeys.verifies(
                Ed25519.generate(new SecureRandom()).publicKey(),
                2,
                KEY_ID,
                CREATED_AT,
                PREKEY,
                signature))
        .isFalse();
  }

  @Test
  void everyFlippedBitOfAV3Signature_isRefused() {
    byte[] signature = v3(2);
    for (int bit = 0; bit < signature.length * 8; bit++) {
      assertThat(verifies(2, Bits.flip(signature, bit))).as("bit %d", bit).isFalse();
    }
  }
}
