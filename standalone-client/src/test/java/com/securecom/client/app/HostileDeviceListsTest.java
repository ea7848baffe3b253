package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Device lists against a server in the attacker's hands (docs/protocol.md, "What a client does with
 * a served list", "Payload"): a list the contact's identity key did not sign changes nothing, a
 * delivery from a device outside the signed list is dropped before anything is decrypted, and a
 * message cannot be passed off as another device's.
 */
class HostileDeviceListsTest extends AgainstHostileServer {
  private static final long NOW = Instant.now().getEpochSecond();

  /** Serves {@code signed} as {@code user}'s list, its devices {@code ids} as the server's hint. */
  private void serveList(String user, SignedDeviceList signed, Integer... ids) {
    JsonObject answer =
        Json.createObjectBuilder()
            .add("username", user)
            .add(
                "deviceList",
                Json.createObjectBuilder()
                    .add("body", Bytes.base64(signed.body()))
                    .add("signature", Bytes.base64(signed.signature())))
            .add("devices", Json.createArrayBuilder(List.of(ids)))
            .build();
    server.serveDevices(user, answer, Map.of());
  }

  /**
   * A list of devices 1 and 2 of {@code user}, naming {@code identityKey}, signed by {@code
   * signer}.
   */
  private static SignedDeviceList devices1And2(String user, byte[] identityKey, byte[] signer) {
    DeviceList list =
        DeviceList.of(
            user,
            identityKey,
            1,
            NOW,
            2,
            List.of(new DeviceEntry(1, NOW - 86_400), new DeviceEntry(2, NOW)));
    return SignedDeviceList.sign(list, signer);
  }

  private static byte[] signingKey(TestClient client) {
    return client.vault.data().identity.signingKeyPair().privateKey();
  }

  /** A list mallory signed, served for the contact bob, or for alice's own account. */
  @ParameterizedTest(name = "a list served for {0}")
  @ValueSource(strings = {"bob", "alice"})
  void aListTheIdentityDidNotSign_changesNothing_andNoDeviceOfItIsAskedFor(String forgedFor)
      throws Exception {
    Ed25519.KeyPair mallory = Ed25519.generate(new SecureRandom());
    serveList(forgedFor, devices1And2(forgedFor, mallory.publicKey(), mallory.privateKey()), 1, 2);
    TestClient alice = client("alice").publish().connect(); // checks its own list on connecting
    client("bob").publish();

    alice.send("bob", "only for bob's real device, no transcript for a forged one of alice's");
    server.settle();

    assertThat(alice.warnings).anyMatch(w -> w.contains("did not sign"));
    assertThat(server.bundleRequests).as("no bundle of the forged device 2").isEmpty();
    assertThat(server.sends)
        .singleElement()
        .satisfies(
            send ->
                assertThat(send.copies())
                    .extracting(WireMessage.Copy::to, WireMessage.Copy::device)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", 1)));
  }

  @Test
  void aDeliveryFromADeviceTheSenderDidNotSign_isDroppedUndecrypted_andNotRemembered()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    bob.send("alice", "a real message");
    server.settle();
    WireMessage.Send real = server.relayed.get(0);

    // bob is a legacy account (no list): his device 7 does not exist
    server.inject("alice", "bob", 7, "forged-id", real.envelope());
    server.settle();

    assertThat(alice.texts()).containsExactly("a real message");
    assertThat(alice.warnings)
        .anyMatch(w -> w.contains("bob's device 7, which bob's identity key has not signed"));
    assertThat(server.acks).contains("alice/forged-id");
    synchronized (alice.vault) {
      assertThat(alice.vault.data().recentIds).doesNotContainKey("bob:7");
    }
  }

  @Test
  void aMessageOfDevice1_presentedAsDevice2_failsToDecrypt_andTheRealOneStillReads()
      throws Exception {
    TestClient alice = client("alice").publish(); // offline: the server holds what bob sends
    TestClient bob = client("bob").publish().connect();
    byte[] bobsKey = bob.vault.data().identity.identityKey();
    serveList("bob", devices1And2("bob", bobsKey, signingKey(bob)), 1, 2);
    bob.send("alice", "written on bob's device 1");
    server.settle();
    WireMessage.Send real = server.relayed.get(0);
    alice.connect();

    server.inject("alice", "bob", 2, real.id(), real.envelope()); // device 2 is in the signed list
    server.settle();
    assertThat(alice.texts()).as("the payload names device 1, not 2").isEmpty();
    assertThat(alice.warnings).anyMatch(w -> w.contains("could not be decrypted"));

    server.inject("alice", "bob", 1, real.id(), real.envelope());
    server.settle();
    assertThat(alice.texts()).containsExactly("written on bob's device 1");
  }

  @Test
  void aMessagePresentedAsFromTheOwnAccountsOtherDevice_underAnotherIdentity_failsToDecrypt()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient mallory = client("mallory").publish().connect();
    mallory.send("alice", "a text from mallory");
    server.settle();
    WireMessage.Send real = server.relayed.get(0);
    assertThat(alice.texts()).containsExactly("a text from mallory");
    // alice links a second device: her own list, signed by her, now has devices 1 and 2
    serveList(
        "alice",
        devices1And2("alice", alice.vault.data().identity.identityKey(), signingKey(alice)),
        1,
        2);

    // the server presents mallory's (new-session) envelope as one of alice's own device 2
    server.inject("alice", "alice", 2, real.id() + "-own", real.envelope());
    server.settle();

    assertThat(alice.transcripts).isEmpty();
    assertThat(alice.texts()).containsExactly("a text from mallory");
    assertThat(alice.warnings).anyMatch(w -> w.contains("from alice could not be decrypted"));
    assertThat(server.sends)
        .as("no receipt to the own account")
        .allSatisfy(
            send ->
                assertThat(send.copies())
                    .noneMatch(copy -> copy.to().equals("alice") && copy.device() == 2));
    assertThat(server.acks).contains("alice/" + real.id() + "-own");
  }
}
