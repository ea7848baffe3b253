package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.cli.ExitCodes;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileLocation;
import com.securecom.client.store.ProfileStore;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.testkit.CliProcess;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code securecom devices} and {@code devices remove}, one process per command as a user runs
 * them, on two devices of one account against a real server, and against that server's database in
 * an attacker's hands: the devices shown are those the account's identity key signed, a removed
 * device is told so, and a list the identity key did not sign, or an older one, is refused without
 * touching the pin. The second device is linked as {@link AppClient#link} links it.
 */
class DevicesCommandIT {
  @RegisterExtension static final PayaraServer server = new PayaraServer();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Path firstHome = server.workDirectory().resolve("devices-first");
  private final Path secondHome = server.workDirectory().resolve("devices-second");
  private final Cli first =
      new Cli(server.uri(), firstHome, server.workDirectory().resolve("devices-first-output"));
  private final Cli second =
      new Cli(server.uri(), secondHome, server.workDirectory().resolve("devices-second-output"));
  private final ServerDatabase database = new ServerDatabase(server);

  DevicesCommandIT() throws Exception {}

  /** {@code user} registered on a first device, and a second device linked as "laptop". */
  private void withALaptop(String user) throws Exception {
    AppClient desktop = AppClient.register(server.uri(), firstHome, user);
    AppClient.link(desktop, server.uri(), secondHome, "laptop");
  }

  private static CliProcess.Result succeeds(Cli device, String user, String... args)
      throws Exception {
    CliProcess.Result result = device.run(user, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  private static List<String> rows(CliProcess.Result devices) {
    List<String> lines = devices.out().lines().toList();
    assertThat(lines.get(0)).as(devices.toString()).matches("ID +CREATED +LAST SEEN +QUEUED +NAME");
    return lines.subList(1, lines.size());
  }

  /** The list the first device's profile pinned for its own account (base64 of the body). */
  private String pinnedOnTheFirstDevice(String user) throws Exception {
    Path profile = ProfileLocation.directory(firstHome, server.uri(), user);
    try (OpenProfile open = ProfileStore.open(profile, AppClient.passphrase(user))) {
      return open.state().getJsonObject("deviceLists").getJsonObject(user).getString("body");
    }
  }

  @Test
  void devices_onEachDevice_listsBoth_andMarksTheOneItRunsOn() throws Exception {
    withALaptop("ann.dev");

    List<String> onTheDesktop = rows(succeeds(first, "ann.dev", "devices"));
    List<String> onTheLaptop = rows(succeeds(second, "ann.dev", "devices"));

    assertThat(onTheDesktop).hasSize(2);
    assertThat(onTheDesktop.get(0)).matches("1 +\\S+ \\S+ +now +0 +\\(this device\\)");
    assertThat(onTheDesktop.get(1)).matches("2 +\\S+ \\S+ +never +0 +laptop");
    assertThat(onTheLaptop).hasSize(2);
    assertThat(onTheLaptop.get(0)).matches("1 +\\S+ \\S+ +never +0");
    assertThat(onTheLaptop.get(1)).matches("2 +\\S+ \\S+ +now +0 +laptop \\(this device\\)");
  }

  @Test
  void removingTheLaptop_endsItsConnection_andItsNextCommandsSayItWasRemoved() throws Exception {
    withALaptop("ben.dev");
    CompletableFuture<CliProcess.Result> listening =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return second.run("ben.dev", "receive", "--follow");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Await.until(WAIT, listening::toString, () -> connected("ben.dev", 2));

    CliProcess.Result removal = succeeds(first, "ben.dev", "devices", "remove", "2", "--yes");

    assertThat(removal.out()).isEqualTo("Removed device 2." + System.lineSeparator());
    CliProcess.Result listened = listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(listened.exitCode()).as(listened.toString()).isEqualTo(ExitCodes.DEVICE_REMOVED);
    assertThat(listened.err())
        .contains("this device was removed from account ben.dev; it no longer sends or receives");
    CliProcess.Result next = second.run("ben.dev", "devices");
    assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
    assertThat(next.err()).contains("another of your devices removed this one");
    CliProcess.Result login = second.run("ben.dev", "login");
    assertThat(login.exitCode()).as(login.toString()).isEqualTo(ExitCodes.DEVICE_REMOVED);
    assertThat(login.err()).contains("this device was removed from account ben.dev");

    assertThat(rows(succeeds(first, "ben.dev", "devices")))
        .singleElement()
        .asString()
        .endsWith("(this device)");
    assertThat(database.hasDevice("ben.dev", 2)).isFalse();
    assertThat(database.deviceList("ben.dev").serial()).isEqualTo(2);
  }

  private boolean connected(String user, int device) {
    try {
      return database.hasConnected(user, device);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void removingTheDeviceItRunsOn_orOneTheAccountDoesNotHave_isRefused_andChangesNothing()
      throws Exception {
    withALaptop("cal.dev");

    CliProcess.Result self = first.run("cal.dev", "devices", "remove", "1", "--yes");
    CliProcess.Result laptopItself = second.run("cal.dev", "devices", "remove", "2", "--yes");
    CliProcess.Result unknown = first.run("cal.dev", "devices", "remove", "3", "--yes");

    assertThat(self.exitCode()).as(self.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(self.err()).contains("device 1 is this device; remove it from another");
    assertThat(laptopItself.exitCode()).as(laptopItself.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(laptopItself.err()).contains("device 2 is this device");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("account cal.dev has no device 3");
    assertThat(database.deviceList("cal.dev").serial()).isEqualTo(1);
    assertThat(database.hasDevice("cal.dev", 1)).isTrue();
    assertThat(database.hasDevice("cal.dev", 2)).isTrue();
  }

  @Test
  void aListTheIdentityKeyDidNotSign_endsDevicesWith12_andThePinStays() throws Exception {
    withALaptop("dee.dev");
    succeeds(first, "dee.dev", "devices");
    String pinned = pinnedOnTheFirstDevice("dee.dev");
    ServerDatabase.StoredList genuine = database.deviceList("dee.dev");
    DeviceList signed = DeviceList.parse(genuine.body());
    List<DeviceEntry> entries = new ArrayList<>(signed.entries());
    entries.add(new DeviceEntry(3, Instant.now().getEpochSecond()));
    byte[] forged =
        DeviceList.of(
                "dee.dev", signed.identityKey(), 2, Instant.now().getEpochSecond(), 3, entries)
            .encode();
    byte[] mallory = Ed25519.generate(new SecureRandom()).privateKey();
    database.replaceDeviceList(
        "dee.dev", new ServerDatabase.StoredList(2, forged, Ed25519.sign(mallory, forged)));
    database.addUnsignedDevice("dee.dev", 3);

    CliProcess.Result devices = first.run("dee.dev", "devices");

    assertThat(devices.exitCode())
        .as(devices.toString())
        .isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(devices.out()).isEmpty();
    assertThat(devices.err())
        .contains(
            "the server presents a device list for dee.dev that your identity key did not sign"
                + " (badSignature)");
    assertThat(pinnedOnTheFirstDevice("dee.dev")).isEqualTo(pinned);
    assertThat(first.run("dee.dev", "devices", "remove", "2", "--yes").exitCode())
        .as("nothing is removed on the strength of that list")
        .isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(database.hasDevice("dee.dev", 2)).isTrue();
  }

  @Test
  void theOldListReplayed_toBringBackARemovedDevice_endsDevicesWith12_andThePinStays()
      throws Exception {
    withALaptop("eve.dev");
    ServerDatabase.StoredList withTheLaptop = database.deviceList("eve.dev");
    succeeds(first, "eve.dev", "devices", "remove", "2", "--yes");
    String pinned = pinnedOnTheFirstDevice("eve.dev");
    assertThat(pinned).isEqualTo(Bytes.base64(database.deviceList("eve.dev").body()));

    database.replaceDeviceList("eve.dev", withTheLaptop);
    CliProcess.Result devices = first.run("eve.dev", "devices");

    assertThat(devices.exitCode())
        .as(devices.toString())
        .isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(devices.out()).isEmpty();
    assertThat(devices.err()).contains("does not follow the one this device trusts (rollback)");
    assertThat(pinnedOnTheFirstDevice("eve.dev")).isEqualTo(pinned);
  }

  @Test
  void aDeviceTheServerAddsOnItsOwn_isNotListed_andDevicesExits12() throws Exception {
    withALaptop("fay.dev");
    database.addUnsignedDevice("fay.dev", 3);

    CliProcess.Result devices = first.run("fay.dev", "devices");

    assertThat(devices.exitCode())
        .as(devices.toString())
        .isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(rows(devices)).hasSize(2).noneMatch(row -> row.startsWith("3 "));
    assertThat(devices.err())
        .contains("the server also reports device(s) [3] of account fay.dev, which your identity");
  }
}
