package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.DeviceLinking;
import com.securecom.client.app.LinkFailedException;
import com.securecom.client.app.Vault;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.devices.ProvisioningCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Linking a device through a real server (docs/protocol.md, "Linking a device"): the code, the
 * mailbox, the sealed provisioning message and the ticket. A link carries the account's pins to the
 * new device; a code works once; a message that is not sealed to the code leaves both devices as
 * they were.
 */
class LinkingIT {
  @RegisterExtension static final PayaraServer server = new PayaraServer();

  private final List<AppClient> everyone = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  private AppClient register(String username) throws Exception {
    AppClient client =
        AppClient.register(server.uri(), server.workDirectory().resolve("profiles"), username);
    everyone.add(client);
    return client;
  }

  private DeviceLinking linking() {
    return new DeviceLinking(new ServerApi(server.uri()), random, Clock.systemUTC());
  }

  private static Vault open(AppClient client) throws Exception {
    return Vault.open(client.profileDirectory(), AppClient.passphrase(client.username));
  }

  /** A fresh token of {@code user}'s first device (a login, as a second session). */
  private String token(AppClient user) {
    return new ServerApi(server.uri()).login(user.username, AppClient.PASSWORD).getString("token");
  }

  /** How many devices the server has for {@code user}'s account. */
  private int devicesOf(AppClient user) {
    return new ServerApi(server.uri()).ownDevices(token(user)).getJsonArray("devices").size();
  }

  @AfterEach
  void everyoneQuits() {
    everyone.forEach(AppClient::goOffline);
  }

  @Test
  void aLinkedDevice_getsTheAccountsPins_soItsSafetyNumbersAreTheSame() throws Exception {
    AppClient alice = register("alicelink").connect();
    register("boblink");
    String number = alice.safetyNumber("boblink"); // pins bob on first use
    alice.goOffline();

    AppClient laptop =
        AppClient.link(alice, server.uri(), server.workDirectory().resolve("laptops"), "laptop");
    everyone.add(laptop);
    laptop.connect();

    assertThat(laptop.safetyNumber("boblink")).isEqualTo(number);
    assertThat(laptop.profileDirectory()).isNotEqualTo(alice.profileDirectory());
    assertThat(devicesOf(alice)).isEqualTo(2);
  }

  @Test
  void aCodeWorksOnce_andAMistypedOrForgottenOneSendsNothing() throws Exception {
    AppClient carol = register("carollink");
    DeviceLinking newDevice = linking();
    DeviceLinking.Pending pending = newDevice.open(null);
    try (Vault vault = open(carol)) {
      linking().send(vault, pending.code());
      assertThatThrownBy(() -> linking().send(vault, pending.code()))
          .isInstanceOf(LinkFailedException.class)
          .hasMessageContaining("used already");

      byte[] secret = new byte[LinkCode.SECRET_BYTES];
      random.nextBytes(secret);
      LinkCode neverOpened =
          new LinkCode(X25519.generate(random).publicKey(), secret, pending.code().expiresAt());
      assertThatThrownBy(() -> linking().send(vault, neverOpened))
          .isInstanceOf(LinkFailedException.class)
          .hasMessageContaining("no device is waiting for this code");
      assertThat(devicesOf(carol)).as("no device was linked by these").isEqualTo(1);
    }
  }

  @Test
  void aMessageNotSealedToTheCode_failsOnTheNewDevice_whichKeepsNothing() throws Exception {
    AppClient dave = register("davelink");
    DeviceLinking newDevice = linking();
    DeviceLinking.Pending pending = newDevice.open(null);
    // someone who learned the mailbox id (the server, say) fills it with a message sealed to a
    // code of their own, with the same key but another secret
    byte[] otherSecret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(otherSecret);
    LinkCode forged =
        new LinkCode(pending.code().ephemeralKey(), otherSecret, pending.code().expiresAt());
    byte[] message =
        ProvisioningCipher.seal(
            forged,
            X25519.generate(random).privateKey(),
            1,
            2,
            "davelink",
            "{\"type\":\"provision\",\"version\":1}".getBytes(StandardCharsets.UTF_8));
    new ServerApi(server.uri()).putLinkMessage(token(dave), pending.code().mailbox(), message);

    assertThatThrownBy(() -> newDevice.receive(pending))
        .isInstanceOf(LinkFailedException.class)
        .hasMessage(LinkFailedException.DOES_NOT_MATCH);
    assertThat(devicesOf(dave)).isEqualTo(1);
  }
}
