package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.ProvisioningCipher;
import com.securecom.protocol.devices.SignedDeviceList;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The provisioning message's plaintext (docs/protocol.md, "The new device's steps"): what an
 * existing device writes reads back, and every way a message can be bent into something else is the
 * one "does not match this code".
 */
class ProvisioningTest {
  private static final long NOW = 1_800_000_000L;
  private final SecureRandom random = new SecureRandom();
  private final LocalIdentity alice = LocalIdentity.generate(random);
  private final LocalIdentity bob = LocalIdentity.generate(random);

  private SignedDeviceList aliceList(int... ids) {
    List<DeviceEntry> entries =
        java.util.Arrays.stream(ids).mapToObj(id -> new DeviceEntry(id, NOW)).toList();
    return SignedDeviceList.sign(
        DeviceList.of("alice", alice.identityKey(), 1, NOW, ids[ids.length - 1], entries),
        alice.signingKeyPair().privateKey());
  }

  private DeviceLinking.Grant grant(SignedDeviceList list) {
    return new DeviceLinking.Grant(
        "alice",
        new byte[32],
        alice.signingKeyPair().privateKey(),
        alice.dhKeyPair().privateKey(),
        2,
        "t".repeat(43),
        list,
        List.of(new DeviceLinking.PinnedContact(bob.publicIdentity("bob"), true, null)));
  }

  private static ProvisioningCipher.Opened opened(byte[] plaintext) {
    return new ProvisioningCipher.Opened(
        new ProvisioningCipher.Header(new byte[32], 1, 2, "alice"), plaintext);
  }

  private DeviceLinking.Grant decode(UnaryOperator<String> bend) {
    String json =
        new String(Provisioning.encode(grant(aliceList(1, 2)), 1), StandardCharsets.UTF_8);
    return Provisioning.decode(opened(bend.apply(json).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void whatTheExistingDeviceWrites_readsBack_withTheContactsPins() {
    DeviceLinking.Grant read = decode(json -> json);
    assertThat(read.username()).isEqualTo("alice");
    assertThat(read.deviceId()).isEqualTo(2);
    assertThat(read.identitySigningKey()).isEqualTo(alice.signingKeyPair().privateKey());
    assertThat(read.identityDhKey()).isEqualTo(alice.dhKeyPair().privateKey());
    assertThat(read.deviceList()).isEqualTo(aliceList(1, 2));
    assertThat(read.contacts())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.identity().sameKeysAs(bob.publicIdentity("bob"))).isTrue();
              assertThat(c.verified()).isTrue();
            });
  }

  @Test
  void aBentMessage_isRefusedWithOneAnswer() {
    String otherList = Bytes.base64(aliceList(1, 3).body());
    Ed25519.KeyPair mallory = Ed25519.generate(random);
    String[][] bends = {
      {"\"type\":\"provision\"", "\"type\":\"sync\""},
      {"\"version\":1", "\"version\":2"},
      {"\"version\":1", "\"version\":1.0"},
      {"\"version\":1", "\"version\":\"1\""},
      {"\"verified\":true", "\"verified\":1"},
      {"\"ticket\":\"", "\"ticket\":\"x"},
      {"\"username\":\"bob\"", "\"username\":\"alice\""},
      {"\"username\":\"bob\"", "\"username\":\"Bob\""},
      {"\"signingKey\":\"", "\"signingKey\":\"A"},
    };
    for (String[] bend : bends) {
      assertThatThrownBy(() -> decode(json -> json.replace(bend[0], bend[1])))
          .as(bend[1])
          .isInstanceOf(LinkFailedException.class)
          .hasMessage(LinkFailedException.DOES_NOT_MATCH);
    }
    // a list that does not add the new device, a list under another identity, a forged DH key
    assertThatThrownBy(
            () -> Provisioning.decode(opened(Provisioning.encode(grant(aliceList(1)), 1))))
        .isInstanceOf(LinkFailedException.class);
    assertThatThrownBy(
            () -> decode(json -> json.replace(Bytes.base64(aliceList(1, 2).body()), otherList)))
        .isInstanceOf(LinkFailedException.class);
    PeerIdentity forged =
        new PeerIdentity(
            "bob",
            bob.identityKey(),
            X25519.generate(random).publicKey(),
            Ed25519.sign(mallory.privateKey(), new byte[1]));
    DeviceLinking.Grant withForged =
        new DeviceLinking.Grant(
            "alice",
            new byte[32],
            alice.signingKeyPair().privateKey(),
            alice.dhKeyPair().privateKey(),
            2,
            "t".repeat(43),
            aliceList(1, 2),
            List.of(new DeviceLinking.PinnedContact(forged, true, null)));
    assertThatThrownBy(() -> Provisioning.decode(opened(Provisioning.encode(withForged, 1))))
        .isInstanceOf(LinkFailedException.class);
  }
}
