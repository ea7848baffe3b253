package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The provisioning message against a server that reads, bends and moves what it relays. */
class ProvisioningCipherTest {
  private final SecureRandom random = new SecureRandom();
  private final X25519.KeyPair newDevice = X25519.generate(random);
  private final LinkCode code = codeFor(newDevice);
  private final byte[] plaintext =
      "{\"type\":\"provision\",\"version\":1}".getBytes(StandardCharsets.UTF_8);

  private LinkCode codeFor(X25519.KeyPair key) {
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    return new LinkCode(key.publicKey(), secret, 1_800_000_000L);
  }

  private byte[] sealed() throws Exception {
    return ProvisioningCipher.seal(
        code, X25519.generate(random).privateKey(), 1, 2, "alice", plaintext);
  }

  @Test
  void theNewDevice_opensWhatTheLinkingDeviceSealed_paddedToAKibibyte() throws Exception {
    byte[] message = sealed();
    ProvisioningCipher.Opened opened =
        ProvisioningCipher.open(code, newDevice.privateKey(), message);
    assertThat(opened.plaintext()).isEqualTo(plaintext);
    assertThat(opened.header().username()).isEqualTo("alice");
    assertThat(opened.header().linkingDeviceId()).isEqualTo(1);
    assertThat(opened.header().newDeviceId()).isEqualTo(2);
    assertThat(message.length - (1 + 32 + 4 + 4 + 1 + 5) - 16).isEqualTo(1_024);
  }

  @Test
  void everyFlippedBit_failsToOpen() throws Exception {
    byte[] message = sealed();
    for (int bit = 0; bit < message.length * 8; bit++) {
      byte[] bent = message.clone();
      bent[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> ProvisioningCipher.open(code, newDevice.privateKey(), bent))
          .as("bit %d", bit)
          .isInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void aMessageMovedToAnotherLink_failsToOpen_evenWithTheSameKey() throws Exception {
    byte[] message = sealed();
    LinkCode sameKeyOtherSecret = codeFor(newDevice);
    assertThatThrownBy(
            () -> ProvisioningCipher.open(sameKeyOtherSecret, newDevice.privateKey(), message))
        .isInstanceOf(DecryptionFailedException.class);
    X25519.KeyPair other = X25519.generate(random);
    assertThatThrownBy(() -> ProvisioningCipher.open(code, other.privateKey(), message))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void aMessageBeyondWhatAMailboxTakes_isNeitherSealedNorOpened() {
    byte[] huge = new byte[ProvisioningCipher.MAX_MESSAGE_BYTES];
    assertThatThrownBy(
            () ->
                ProvisioningCipher.seal(
                    code, X25519.generate(random).privateKey(), 1, 2, "alice", huge))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ProvisioningCipher.open(
                    code,
                    newDevice.privateKey(),
                    new byte[ProvisioningCipher.MAX_MESSAGE_BYTES + 1]))
        .isInstanceOf(DecryptionFailedException.class);
  }
}
