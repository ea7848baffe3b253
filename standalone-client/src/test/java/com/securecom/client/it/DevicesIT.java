package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.QueuedException;
import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.it.AppClient.Received;
import com.securecom.client.it.AppClient.Transcript;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client with linked devices, through a real server (docs/protocol.md, "Version 4", and
 * "Device lists"): a message reaches every device the recipient's identity key signed, a linked
 * device writes and reads as its account, safety numbers stay per person, and a device the server
 * adds on its own is never encrypted to, and the account's devices see each other's texts as sent
 * transcripts. Devices are linked as {@link AppClient#link} says: through the link mailbox, as the
 * two commands do.
 */
class DevicesIT {
  @RegisterExtension static final PayaraServer server = new PayaraServer();

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<AppClient> everyone = new CopyOnWriteArrayList<>();
  private final ServerDatabase database = new ServerDatabase(server);

  private AppClient register(String username) throws Exception {
    AppClient client =
        AppClient.register(server.uri(), server.workDirectory().resolve("profiles"), username);
    everyone.add(client);
    return client;
  }

  private AppClient linkSecondDevice(AppClient existing) throws Exception {
    Path home = server.workDirectory().resolve("second-devices");
    AppClient linked = AppClient.link(existing, server.uri(), home, "second device");
    everyone.add(linked);
    return linked;
  }

  @AfterEach
  void everyoneQuits() {
    everyone.forEach(AppClient::goOffline);
  }

  @Test
  void aMessageToAnAccountWithTwoDevices_reachesBoth_andTheSafetyNumberDoesNotChange()
      throws Exception {
    AppClient alice = register("alice2dev").connect();
    AppClient bob = register("bob2dev").connect();
    alice.send("bob2dev", "before bob links a device");
    Await.until(WAIT, bob::toString, () -> bob.received().size() == 1);
    String numberBefore = alice.safetyNumber("bob2dev");

    AppClient bobsLaptop = linkSecondDevice(bob).connect();
    // alice's run checked bob's list before the link: the server answers stale_devices, her client
    // fetches the list bob's identity key signed, and encrypts for the new device too
    String id = alice.send("bob2dev", "after bob linked a device");

    Await.until(WAIT, bob::toString, () -> bob.received().size() == 2);
    Await.until(WAIT, bobsLaptop::toString, () -> bobsLaptop.received().size() == 1);
    assertThat(bob.received().get(1))
        .isEqualTo(new Received("alice2dev", id, "after bob linked a device"));
    assertThat(bobsLaptop.received())
        .containsExactly(new Received("alice2dev", id, "after bob linked a device"));
    assertThat(alice.safetyNumber("bob2dev")).isEqualTo(numberBefore);
    assertThat(alice.warnings()).anyMatch(w -> w.contains("bob2dev's devices changed: now 2"));
  }

  @Test
  void aLinkedDevice_writesAsItsAccount_toSomeoneWhoNeverHeardOfIt() throws Exception {
    AppClient carol = register("carol2dev");
    AppClient dan = register("dan2dev").connect();
    AppClient carolsLaptop = linkSecondDevice(carol).connect();

    String id = carolsLaptop.send("dan2dev", "from carol's second device");

    // dan's client has no list pinned for carol: the delivery from her device 2 makes it fetch
    // and verify her list before it decrypts anything
    Await.until(WAIT, dan::toString, () -> dan.received().size() == 1);
    assertThat(dan.received())
        .containsExactly(new Received("carol2dev", id, "from carol's second device"));
    // dan's delivery receipt goes to both of carol's devices (the server refuses a send that
    // leaves one out), and the sending device sees it
    Await.until(WAIT, carolsLaptop::toString, () -> carolsLaptop.deliveryReceipts().contains(id));
    String reply = dan.send("carol2dev", "dan answers");
    Await.until(WAIT, carolsLaptop::toString, () -> carolsLaptop.received().size() == 1);
    assertThat(carolsLaptop.received())
        .containsExactly(new Received("dan2dev", reply, "dan answers"));
    carol.connect();
    Await.until(WAIT, carol::toString, () -> carol.received().size() == 1);
    assertThat(carol.received()).containsExactly(new Received("dan2dev", reply, "dan answers"));
  }

  @Test
  void aDeviceTheServerAddsBehindTheAccountsBack_isNeverEncryptedTo() throws Exception {
    AppClient erin = register("erin2dev").connect();
    AppClient frank = register("frank2dev");
    AppClient franksLaptop = linkSecondDevice(frank);
    database.addUnsignedDevice("frank2dev", 3); // the server's set is now {1, 2, 3}

    assertThatThrownBy(() -> erin.send("frank2dev", "for frank's devices only"))
        .isInstanceOf(MessageRejectedException.class)
        .hasMessageContaining("frank2dev's identity key has not signed");

    assertThat(database.copiesFor("frank2dev", 3)).as("no copy for the forged device").isZero();
    assertThat(database.copiesFor("frank2dev", 1) + database.copiesFor("frank2dev", 2))
        .as("the send was refused as a whole: nothing stored for the signed devices either")
        .isZero();
    assertThat(franksLaptop.received()).isEmpty();
  }

  @Test
  void aTextFromOneDevice_showsOnTheAccountsOtherDeviceAsSent_andTheReceiptsReachBoth()
      throws Exception {
    AppClient gina = register("gina2dev").connect();
    AppClient hank = register("hank2dev").connect();
    AppClient ginasLaptop = linkSecondDevice(gina).connect();
    // devicesChanged: gina's first device fetches and verifies her new list while connected
    Await.until(
        WAIT,
        gina::toString,
        () ->
            gina.warnings().stream()
                .anyMatch(w -> w.contains("device 2 was linked to your account gina2dev")));

    String id = gina.send("hank2dev", "from gina's first device");
    Await.until(WAIT, ginasLaptop::toString, () -> ginasLaptop.transcripts().size() == 1);
    assertThat(ginasLaptop.transcripts())
        .containsExactly(new Transcript("hank2dev", id, "from gina's first device", 1));
    Await.until(WAIT, hank::toString, () -> hank.received().size() == 1);
    // hank's delivery receipt goes to both of gina's devices, and both know the message
    Await.until(WAIT, gina::toString, () -> gina.deliveryReceipts().contains(id));
    Await.until(WAIT, ginasLaptop::toString, () -> ginasLaptop.deliveryReceipts().contains(id));

    String back = ginasLaptop.send("hank2dev", "and from her laptop");
    Await.until(WAIT, gina::toString, () -> gina.transcripts().size() == 1);
    assertThat(gina.transcripts())
        .containsExactly(new Transcript("hank2dev", back, "and from her laptop", 2));
    Await.until(WAIT, hank::toString, () -> hank.received().size() == 2);
    assertThat(hank.received())
        .containsExactly(
            new Received("gina2dev", id, "from gina's first device"),
            new Received("gina2dev", back, "and from her laptop"));
    assertThat(gina.received()).as("a transcript is not an incoming text").isEmpty();
    assertThat(ginasLaptop.received()).isEmpty();
  }

  /**
   * Re-signs {@code account}'s stored list with its identity key (the next serial, the same
   * devices), as only the account's own devices can, and stores it through the REST API. Besides
   * being a list the account signed, an upload makes the server read the account's device set
   * again: the relay keeps each account's set for up to a minute (CachedDeviceSets), so a device
   * row added or deleted behind its back is seen at once only after an upload.
   */
  private void resign(AppClient account) throws Exception {
    DeviceList stored = DeviceList.parse(database.deviceList(account.username).body());
    DeviceList next =
        DeviceList.of(
            stored.username(),
            stored.identityKey(),
            stored.serial() + 1,
            Instant.now().getEpochSecond(),
            stored.lastDeviceId(),
            stored.entries());
    SignedDeviceList signed = SignedDeviceList.sign(next, account.identitySigningPrivateKey());
    ServerApi api = new ServerApi(server.uri());
    String token = api.login(account.username, AppClient.PASSWORD).getString("token");
    api.putDeviceList(
        token,
        Json.createObjectBuilder()
            .add("body", Bytes.base64(signed.body()))
            .add("signature", Bytes.base64(signed.signature()))
            .build());
  }

  /**
   * Done means of issue 14: "a server-side device added directly in the database (not signed by
   * Alice's identity key) is refused by Bob's client and no message is encrypted to it". The
   * operator who took over the server adds device 9 to alice's account with a bundle (its signed
   * prekey validly signed for device 9, by another key: Alice's is out of the server's reach) and
   * serves, in turn, a list naming device 9 signed by another key, Alice's signature kept over a
   * body naming device 9, and an older list of Alice's (a rollback). Each time Bob's client, which
   * pinned Alice's list, refuses the served list, encrypts only to the pinned devices, and stops
   * when the server insists on device 9 (docs/protocol.md, "What a client does with each error
   * code", {@code stale_devices}): the send fails with {@link
   * MessageRejectedException#UNSIGNED_DEVICE} (the command line's exit code 12), nothing is stored
   * for any device, and Bob's profile holds nothing of device 9.
   */
  @Test
  void deviceAddedInTheDatabase_isRefused() throws Exception {
    AppClient alice = register("alicedb");
    AppClient alicesLaptop = linkSecondDevice(alice); // list serial 1: devices 1 and 2
    ServerDatabase.StoredList linked = database.deviceList("alicedb");
    resign(alice); // serial 2, the list bob pins
    ServerDatabase.StoredList pinned = database.deviceList("alicedb");
    AppClient bob = register("bobdb").connect();
    String hello = bob.send("alicedb", "before the server is taken over");
    alice.connect();
    alicesLaptop.connect();
    Await.until(WAIT, alice::toString, () -> alice.received().size() == 1);
    Await.until(WAIT, alicesLaptop::toString, () -> alicesLaptop.received().size() == 1);
    Await.until(WAIT, bob::toString, () -> bob.deliveryReceipts().contains(hello));
    alice.goOffline();
    alicesLaptop.goOffline();
    bob.goOffline();
    resign(alice); // serial 3: the relay reads alicedb's devices afresh at the next send
    ServerDatabase.StoredList current = database.deviceList("alicedb");
    assertThat(lastState(bob).getJsonObject("deviceLists").getJsonObject("alicedb"))
        .as("bob pinned serial 2")
        .isEqualTo(listJson(pinned));

    LocalIdentity mallory = LocalIdentity.generate(new SecureRandom());
    database.addForgedDevice("alicedb", 9, mallory, 10);
    DeviceList real = DeviceList.parse(current.body());
    List<DeviceEntry> withNine = new ArrayList<>(real.entries());
    withNine.add(new DeviceEntry(9, Instant.now().getEpochSecond()));
    DeviceList naming9 =
        DeviceList.of(
            "alicedb",
            real.identityKey(),
            real.serial() + 1,
            Instant.now().getEpochSecond(),
            9,
            withNine);
    Map<String, ServerDatabase.StoredList> served = new LinkedHashMap<>();
    served.put(
        "badSignature",
        new ServerDatabase.StoredList(
            naming9.serial(),
            naming9.encode(),
            Ed25519.sign(mallory.signingKeyPair().privateKey(), naming9.encode())));
    served.put( // alice's signature of serial 3 over a body that adds device 9
        "badSignature ",
        new ServerDatabase.StoredList(naming9.serial(), naming9.encode(), current.signature()));
    served.put("rollback", linked); // serial 1, below bob's pin; the server still has device 9

    int held1 = database.copiesFor("alicedb", 1);
    int held2 = database.copiesFor("alicedb", 2);
    for (Map.Entry<String, ServerDatabase.StoredList> variant : served.entrySet()) {
      database.replaceDeviceList("alicedb", variant.getValue());
      int warningsBefore = bob.warnings().size();
      bob.connect(); // a new run: it fetches alicedb's list before its first send to her

      assertThatThrownBy(() -> bob.send("alicedb", "for alice's own devices only"))
          .as(variant.getKey())
          .isInstanceOfSatisfying(
              MessageRejectedException.class,
              e -> assertThat(e.code()).isEqualTo(MessageRejectedException.UNSIGNED_DEVICE))
          .hasMessageContaining("a device of alicedb that alicedb's identity key has not signed");
      bob.goOffline();

      assertThat(bob.warnings().subList(warningsBefore, bob.warnings().size()))
          .as(variant.getKey())
          .contains(
              "the server presents a device list for alicedb that alicedb's identity key did not"
                  + " sign or that goes back ("
                  + variant.getKey().strip()
                  + "); your messages still go only to the devices you know");
      assertThat(database.copiesFor("alicedb", 9)).as("copies for device 9").isZero();
      assertThat(database.copiesFor("alicedb", 1)).as("all or nothing: device 1").isEqualTo(held1);
      assertThat(database.copiesFor("alicedb", 2)).as("all or nothing: device 2").isEqualTo(held2);
      JsonObject state = lastState(bob);
      assertThat(state.getJsonObject("sessions").keySet())
          .as("bob's sessions")
          .containsExactlyInAnyOrder("alicedb", "alicedb:2") // device 1's key is the name
          .noneMatch(key -> key.endsWith(":9"));
      assertThat(state.getJsonObject("recentIds").keySet()).noneMatch(key -> key.endsWith(":9"));
      assertThat(state.getJsonArray("outbox")).as("bob's outbox").isEmpty();
      assertThat(state.getJsonObject("deviceLists").getJsonObject("alicedb"))
          .as("bob's pin of alicedb's list")
          .isEqualTo(listJson(pinned));
    }

    // The database restored (and alice's next list, as an upload, has the relay read it again):
    // alice's real devices never noticed.
    database.replaceDeviceList("alicedb", current);
    database.deleteDevice("alicedb", 9);
    resign(alice);
    bob.connect();
    String after = bob.send("alicedb", "after the database was restored");
    alice.connect();
    alicesLaptop.connect();
    Await.until(WAIT, alice::toString, () -> alice.received().size() == 2);
    Await.until(WAIT, alicesLaptop::toString, () -> alicesLaptop.received().size() == 2);
    Received expected = new Received("bobdb", after, "after the database was restored");
    assertThat(alice.received().get(1)).isEqualTo(expected);
    assertThat(alicesLaptop.received().get(1)).isEqualTo(expected);
    assertThat(database.copiesFor("alicedb", 9)).isZero();
  }

  private static JsonObject listJson(ServerDatabase.StoredList list) {
    return Json.createObjectBuilder()
        .add("body", Bytes.base64(list.body()))
        .add("signature", Bytes.base64(list.signature()))
        .build();
  }

  private static JsonObject lastState(AppClient client) {
    List<JsonObject> states = client.profileStates();
    return states.get(states.size() - 1);
  }

  /**
   * Done means of issue 14: "a device offline for a week catches up". Alice's laptop (device 2)
   * goes offline; meanwhile Bob sends 300 texts and Alice links a tablet (device 3) after the
   * 100th. The week is made by moving what the server holds of the laptop 7 days back (its queued
   * messages, its token, when it was last seen) and by the laptop having lived that week ago: it
   * was linked and ran with a clock 7 days behind, and comes back on the real one. (The other way
   * round, a laptop whose clock runs 7 days ahead, cannot log in: every token the real server
   * issues expires 24 hours after the server's clock, which such a client deems past.)
   *
   * <p>What a week-old device meets, as the test states it: the server refuses its token (4401,
   * expired) and a login with the password as device 2 works; the server held only 200 of Bob's
   * texts for it ({@code securecom.relay.max-queue-per-sender}: 200 per sender in one device's
   * queue) and refused the 201st and later sends as a whole ({@code sender_share_full}: not stored
   * for Alice's other devices either), which Bob's client keeps in its outbox and sends again on
   * its next connection, once the laptop has read its queue; the laptop gets all 300 in order,
   * learns of the tablet from its own list, rotates its week-old signed prekey (version 3, for
   * device 2), and replies.
   */
  @Test
  void deviceOfflineForAWeek_catchesUp() throws Exception {
    Duration week = Duration.ofDays(7);
    AppClient alice = register("aliceweek").connect();
    AppClient bob = register("bobweek").connect();
    AppClient laptop =
        AppClient.link(
            alice,
            server.uri(),
            server.workDirectory().resolve("second-devices"),
            "laptop",
            Clock.offset(Clock.systemUTC(), week.negated()));
    everyone.add(laptop);
    laptop.connect();
    String hello = bob.send("aliceweek", "hello, a week ago");
    Await.until(WAIT, laptop::toString, () -> laptop.received().size() == 1);
    Await.until(WAIT, alice::toString, () -> alice.received().size() == 1);
    laptop.sync();
    ServerDatabase.PublishedSignedPreKey weekOld = database.signedPreKey("aliceweek", 2);
    laptop.goOffline();
    laptop.clock(Clock.systemUTC()); // it comes back a week later

    List<String> texts =
        IntStream.rangeClosed(1, 300).mapToObj(i -> "while the laptop is away #" + i).toList();
    List<String> stored = new ArrayList<>();
    List<String> keptIds = new ArrayList<>();
    AppClient tablet = null;
    long start = System.nanoTime();
    for (int i = 0; i < texts.size(); i++) {
      if (i == 100) {
        tablet =
            AppClient.link(
                alice, server.uri(), server.workDirectory().resolve("third-devices"), "tablet");
        everyone.add(tablet);
        tablet.connect();
      }
      try {
        stored.add(bob.send("aliceweek", texts.get(i)));
      } catch (QueuedException kept) {
        assertThat(kept).hasMessageContaining("your share of a device's queue is used up");
        keptIds.add(kept.id());
      }
    }
    System.out.printf(
        "bob sent 300 texts to 3 devices of aliceweek in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
    assertThat(stored).as("stored by the server").hasSize(200);
    assertThat(keptIds).as("kept in bob's outbox").hasSize(100);
    AppClient tablet3 = tablet;
    Await.until(WAIT, alice::toString, () -> alice.received().size() == 201);
    Await.until(WAIT, tablet3::toString, () -> tablet3.received().size() == 100);

    assertThat(database.ageDevice("aliceweek", 2, week)).as("queued for the laptop").isEqualTo(200);

    assertThatThrownBy(laptop::connect)
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.UNAUTHORIZED));
    laptop.goOffline();
    laptop.login().connect();
    Await.until(
        WAIT, () -> laptop.received().size() + " received", () -> laptop.received().size() == 201);
    laptop.sync();
    assertThat(laptop.receivedTexts().subList(1, 201))
        .containsExactlyElementsOf(texts.subList(0, 200));
    assertThat(laptop.receivedIds().subList(1, 201)).containsExactlyElementsOf(stored);
    assertThat(laptop.warnings())
        .anyMatch(w -> w.startsWith("device 3 was linked to your account aliceweek"));
    ServerDatabase.PublishedSignedPreKey rotated = database.signedPreKey("aliceweek", 2);
    assertThat(rotated.keyId()).as("a new signed prekey").isGreaterThan(weekOld.keyId());
    assertThat(Instant.ofEpochSecond(rotated.createdAt()))
        .isAfter(Instant.now().minus(Duration.ofMinutes(10)));
    assertThat(
            KeySignatures.isSignedPreKeyV3(
                database.publishedIdentity("aliceweek").identityKey(),
                2,
                rotated.keyId(),
                rotated.createdAt(),
                rotated.publicKey(),
                rotated.signature()))
        .as("version 3, for device 2")
        .isTrue();

    // bob's next run sends what the server could not store; the laptop now reads its queue
    bob.goOffline();
    bob.connect();
    Await.until(
        WAIT, () -> laptop.received().size() + " received", () -> laptop.received().size() == 301);
    laptop.sync();
    assertThat(laptop.receivedTexts())
        .containsExactlyElementsOf(
            Stream.concat(Stream.of("hello, a week ago"), texts.stream()).toList());
    assertThat(laptop.receivedIds().subList(201, 301)).containsExactlyElementsOf(keptIds);
    Await.until(WAIT, alice::toString, () -> alice.received().size() == 301);
    Await.until(WAIT, tablet3::toString, () -> tablet3.received().size() == 200);

    String reply = laptop.send("bobweek", "back after a week");
    Await.until(WAIT, bob::toString, () -> bob.received().size() == 1);
    assertThat(bob.received())
        .containsExactly(new Received("aliceweek", reply, "back after a week"));
    Await.until(WAIT, alice::toString, () -> alice.transcripts().size() == 1);
    assertThat(alice.transcripts())
        .containsExactly(new Transcript("bobweek", reply, "back after a week", 2));
    Await.until(WAIT, tablet3::toString, () -> tablet3.transcripts().size() == 1);
    assertThat(database.copiesFor("aliceweek", 2)).as("nothing left for the laptop").isZero();
    assertThat(hello).isNotNull();
  }
}
