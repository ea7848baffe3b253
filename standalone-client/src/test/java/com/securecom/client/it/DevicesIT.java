package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.it.AppClient.Received;
import com.securecom.client.it.AppClient.Transcript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
}
