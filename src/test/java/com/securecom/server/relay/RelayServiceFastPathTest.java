package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.relay.GroupCommitTest.PlainThreads;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.testing.InMemoryDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deliver-first rule over the real group commit and repository: what is written, and what the
 * sender is told, for each way a message can go.
 */
class RelayServiceFastPathTest {
  private static final DeviceAddress ALICE = DeviceAddress.first("alice");
  private static final DeviceAddress BOB = DeviceAddress.first("bob");

  private InMemoryDatabase db;
  private JpaMessageRepository messages;
  private GroupCommit writes;
  private FastPath fastPath;
  private ConnectionRegistry connections;
  private RelayService relay;
  private final List<WireMessage> toAlice = new CopyOnWriteArrayList<>();
  private Answers aliceAnswers;
  private FakeConnection bob;
  private final RecordingOtherNodes otherNodes = new RecordingOtherNodes();
  private final Gate storeGate = new Gate();
  private RelaySettings settings;

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    db.addAccount("alice");
    db.addAccount("bob");
    messages = new JpaMessageRepository(db.database(), Clock.systemUTC());
    settings = new RelaySettings();
    settings.fastPathWindow = Duration.ofHours(1); // windows end only when the test says so
    RelayMetrics metrics = new SilentMetrics();
    writes = new GroupCommit(new GatedRepository(messages, storeGate), settings, metrics);
    writes.threads = new PlainThreads();
    writes.start();
    fastPath = new FastPath(settings, Clock.systemUTC());
    connections = new ConnectionRegistry(new NoOtherNodes());
    DeviceSets everyone = db.deviceSets();
    relay =
        new RelayService(
            messages,
            everyone,
            writes,
            connections,
            otherNodes,
            settings,
            metrics,
            Clock.systemUTC(),
            fastPath);
    aliceAnswers = new Answers(toAlice::add);
    bob = new FakeConnection("bob");
    connections.register(bob);
  }

  @AfterEach
  void stop() {
    storeGate.open();
    writes.stop();
    db.close();
  }

  private void send(String id) {
    relay.send(
        ALICE,
        3,
        new WireMessage.Send(id, "bob", Bytes.base64(new byte[] {1, 2, 3})),
        aliceAnswers.next());
  }

  /**
   * A device list removed one of bob's devices: the relay deletes what was queued for it. If that
   * deletion fails, the removal (already committed) must not fail with it: the copies expire.
   */
  @Test
  void aRemovedDevicesQueue_isDeleted_andAFailureToDeleteItIsNotTheRemovals() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    messages.store(
        new StoredMessage(ALICE, "m", bob2, new byte[] {1}, 1, Long.MAX_VALUE, null), 10);

    relay.forgetRemoved(new DevicesRemoved("bob", 2, List.of(2)));

    assertThat(messages.pending(bob2, 0, 10)).isEmpty();
    RelayService failing =
        new RelayService(
            new GatedRepository(messages, storeGate) {
              @Override
              public int forgetDevices(String username, java.util.Collection<Integer> ids) {
                throw new jakarta.persistence.PersistenceException("the database is down");
              }
            },
            null,
            writes,
            connections,
            otherNodes,
            new RelaySettings(),
            new SilentMetrics(),
            Clock.systemUTC(),
            fastPath);
    assertThatCode(() -> failing.forgetRemoved(new DevicesRemoved("bob", 2, List.of(2))))
        .doesNotThrowAnyException();
  }

  /** Bob's client acknowledges alice's message {@code id} on his current connection. */
  private void bobAcks(String id) {
    relay.acknowledge(BOB, ALICE, id, bob.copies.acknowledged(ALICE, id));
  }

  /**
   * Alice's message {@code id} is stored while bob is away; alice never saw its {@code accepted}
   * (the server died first) and will send it again on a new connection, whose answers this returns.
   */
  private List<WireMessage> storedWhileBobWasAway(String id) throws InterruptedException {
    connections.unregister(bob);
    send(id);
    settleWrites();
    assertThat(messages.countPending()).isOne();
    List<WireMessage> toAliceAgain = new CopyOnWriteArrayList<>();
    aliceAnswers = new Answers(toAliceAgain::add);
    bob = new FakeConnection("bob");
    connections.register(bob);
    return toAliceAgain;
  }

  private void settleWrites() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    writes.afterPending(done::countDown);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private long rows() {
    return messages.countPending() + messages.receipts(ALICE, 100).size();
  }

  @Test
  void recipientOnline_ackInTime_senderGetsAcceptedAndDelivered_andNothingIsWritten()
      throws Exception {
    send("m1");
    assertThat(bob.delivered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(toAlice).isEmpty(); // not accepted before the recipient has it

    bobAcks("m1");
    settleWrites();

    assertThat(toAlice)
        .as("the receipt first: it answers the send even if the connection drops before accepted")
        .containsExactly(new WireMessage.Delivered("m1", "bob"), new WireMessage.Accepted("m1"));
    assertThat(rows()).isZero();
    assertThat(aliceAnswers.receiptNotStored("m1")).isTrue();
  }

  @Test
  void recipientOnline_noAckInTheWindow_messageIsStoredThenAccepted_andTheLateAckIsApplied()
      throws Exception {
    send("m1");
    assertThat(bob.delivered).hasSize(1);

    fastPath.expireDue(Long.MAX_VALUE); // the window ends: a crash now would lose nothing
    settleWrites();
    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(messages.countPending()).isOne();
    assertThat(bob.offered).as("bob's connection already has m1: not sent a second time").isEmpty();
    assertThat(bob.delivered).hasSize(1);

    bobAcks("m1");
    settleWrites();
    assertThat(messages.countPending()).isZero();
    assertThat(messages.receipts(ALICE, 10)).extracting(Receipt::id).containsExactly("m1");
  }

  @Test
  void overTheFastPathsByteBudget_aMessageIsStoredFirst_andTheFastPathResumesOnceItFrees()
      throws Exception {
    settings.fastPathMaxBytes = 10; // each test message holds 7: 3 envelope bytes, 4 of base64
    send("m1");
    send("m2");
    settleWrites();

    assertThat(fastPath.size()).isOne();
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("m2");
    assertThat(toAlice).as("m2 is answered after m1").isEmpty();

    bobAcks("m1");
    settleWrites();
    send("m3");
    assertThat(fastPath.size()).as("m1's bytes were given back").isOne();
  }

  @Test
  void windowEndsAfterTheRecipientReconnectedHere_theNewConnectionIsOfferedTheStoredMessage()
      throws Exception {
    send("m1");
    FakeConnection bobAgain = new FakeConnection("bob");
    connections.register(bobAgain); // the first connection never acknowledged, and is replaced

    fastPath.expireDue(Long.MAX_VALUE);
    settleWrites();

    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(bobAgain.offered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(bob.offered).isEmpty();
  }

  @Test
  void windowEndsAfterTheRecipientLeftThisNode_theStoredMessageIsHandedToTheOtherNodes()
      throws Exception {
    send("m1");
    connections.unregister(bob);

    fastPath.expireDue(Long.MAX_VALUE);
    settleWrites();

    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(otherNodes.delivered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("m1");
  }

  @Test
  void recipientOffline_messageIsStoredBeforeAccepted() throws Exception {
    connections.unregister(bob);
    send("m1");
    settleWrites();
    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(fastPath.size()).isZero();
  }

  @Test
  void recipientCatchingUp_messageIsStored_andDeliveredOnlyThroughTheQueue() throws Exception {
    bob.live = false;
    send("m1");
    settleWrites();
    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(bob.delivered).isEmpty();
    assertThat(bob.offered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(messages.countPending()).isOne();
  }

  @Test
  void answersKeepTheOrderOfTheSendersFrames_whenALaterMessageIsAcknowledgedFirst()
      throws Exception {
    send("m1");
    send("m2");
    bobAcks("m2");
    assertThat(toAlice).isEmpty();

    bobAcks("m1");
    assertThat(toAlice)
        .containsExactly(
            new WireMessage.Delivered("m1", "bob"),
            new WireMessage.Accepted("m1"),
            new WireMessage.Delivered("m2", "bob"),
            new WireMessage.Accepted("m2"));
    assertThat(bob.delivered).extracting(StoredMessage::id).containsExactly("m1", "m2");
  }

  @Test
  void anAckOfAnotherUsersMessage_settlesNothing() throws Exception {
    send("m1");
    relay.acknowledge(DeviceAddress.first("mallory"), ALICE, "m1", SentCopies.Copy.NOT_SENT_HERE);
    settleWrites();
    assertThat(toAlice).isEmpty();
    assertThat(fastPath.size()).isOne();
  }

  @Test
  void aResentMessageBobHoldsFromHisCatchUp_doesNotTakeTheFastPath_andHisAckEmptiesTheQueue()
      throws Exception {
    List<WireMessage> toAliceAgain = storedWhileBobWasAway("m1");
    bob.offer(messages.pending(BOB, 0, 10).get(0)); // bob's catch-up sends the stored copy
    assertThat(bob.sentFromStore).hasSize(1);

    send("m1"); // alice sends it again, with the same id and envelope
    bobAcks("m1"); // bob acknowledges the copy he holds
    settleWrites();

    assertThat(bob.delivered).as("no fast-path copy while bob holds the stored one").isEmpty();
    assertThat(toAliceAgain).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(messages.countPending()).as("the stored row was acknowledged").isZero();
    assertThat(messages.receipts(ALICE, 10)).extracting(Receipt::id).containsExactly("m1");
    assertThat(aliceAnswers.receiptNotStored("m1")).isFalse();
  }

  @Test
  void aStoredCopyOfferedAfterTheFastPathCopy_makesTheAckGoToTheDatabase() throws Exception {
    List<WireMessage> toAliceAgain = storedWhileBobWasAway("m1");
    send("m1"); // bob is caught up and holds no copy: the fast path is taken
    assertThat(bob.delivered).extracting(StoredMessage::id).containsExactly("m1");
    bob.offer(messages.pending(BOB, 0, 10).get(0)); // the stored row arrives too (a handover)
    assertThat(bob.sentFromStore).as("bob's connection has m1: not sent twice").isEmpty();

    bobAcks("m1");
    settleWrites();

    assertThat(toAliceAgain).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(messages.countPending()).isZero();
    assertThat(messages.receipts(ALICE, 10)).extracting(Receipt::id).containsExactly("m1");
    assertThat(fastPath.size()).isZero();
  }

  @Test
  void anAckOnAConnectionThatNeverHadTheMessage_storesItAndAppliesTheAck() throws Exception {
    send("m1");
    FakeConnection first = bob;
    bob = new FakeConnection("bob");
    connections.register(bob); // bob got m1 on his first connection, and acknowledges it here

    bobAcks("m1");
    settleWrites();

    assertThat(first.delivered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(toAlice).containsExactly(new WireMessage.Accepted("m1"));
    assertThat(messages.countPending()).isZero();
    assertThat(messages.receipts(ALICE, 10)).extracting(Receipt::id).containsExactly("m1");
    assertThat(fastPath.size()).isZero();
  }

  // ---- order: a message in the store is not overtaken by a later one of the same pair ----

  @Test
  void aMessageAfterOneWhoseWindowEnded_goesFirstOnTheConnectionThatHasTheEarlierOne()
      throws Exception {
    send("m1");
    storeGate.close();
    fastPath.expireDue(Long.MAX_VALUE); // m1's window ends; its store is held
    send("m2");
    assertThat(bob.delivered)
        .as("m2 cannot overtake m1 on this connection: it already has m1")
        .extracting(StoredMessage::id)
        .containsExactly("m1", "m2");

    storeGate.open();
    bobAcks("m1");
    bobAcks("m2");
    settleWrites();
    assertThat(toAlice)
        .containsExactly(
            new WireMessage.Accepted("m1"),
            new WireMessage.Delivered("m2", "bob"),
            new WireMessage.Accepted("m2"));
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void aMessageAfterOneWhoseWindowEnded_isStoredBehindIt_whenTheRecipientReconnected()
      throws Exception {
    send("m1");
    storeGate.close();
    fastPath.expireDue(Long.MAX_VALUE);
    FakeConnection first = bob;
    bob = new FakeConnection("bob");
    connections.register(bob); // the new connection has not got m1, which is still being stored
    send("m2");
    assertThat(bob.delivered).as("m2 would arrive before m1 here").isEmpty();

    storeGate.open();
    settleWrites();
    assertThat(first.delivered).extracting(StoredMessage::id).containsExactly("m1");
    assertThat(bob.offered).extracting(StoredMessage::id).containsExactly("m1", "m2");
  }

  @Test
  void aMessageAfterOneStoredFirst_isStoredBehindIt_evenOnceTheRecipientIsHere() throws Exception {
    connections.unregister(bob);
    storeGate.close();
    send("m1"); // bob away: stored first, and the store is held
    connections.register(bob);
    send("m2");
    assertThat(bob.delivered).as("bob has not got m1 yet").isEmpty();

    storeGate.open();
    settleWrites();
    assertThat(bob.offered).extracting(StoredMessage::id).containsExactly("m1", "m2");
    send("m3"); // both stored and handed over: the fast path is open again
    assertThat(bob.delivered).extracting(StoredMessage::id).containsExactly("m3");
  }

  /** Holds the group commit's writes while closed. */
  static final class Gate {
    private boolean open = true;

    synchronized void close() {
      open = false;
    }

    synchronized void open() {
      open = true;
      notifyAll();
    }

    synchronized void pass() {
      while (!open) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The real repository, whose writes wait at a gate. */
  static class GatedRepository implements MessageRepository {
    private final MessageRepository real;
    private final Gate gate;

    GatedRepository(MessageRepository real, Gate gate) {
      this.real = real;
      this.gate = gate;
    }

    @Override
    public List<Outcome> writeAll(List<? extends RelayWrite> writes, QueueLimits limits) {
      gate.pass();
      return real.writeAll(writes, limits);
    }

    @Override
    public List<StoredMessage> pending(DeviceAddress recipient, long afterSeq, int limit) {
      return real.pending(recipient, afterSeq, limit);
    }

    @Override
    public List<Receipt> receipts(DeviceAddress sender, int limit) {
      return real.receipts(sender, limit);
    }

    @Override
    public int forgetDevices(String username, java.util.Collection<Integer> deviceIds) {
      return real.forgetDevices(username, deviceIds);
    }

    @Override
    public Queued queued(DeviceAddress recipient) {
      return real.queued(recipient);
    }

    @Override
    public int purgeExpired(long now) {
      return real.purgeExpired(now);
    }

    @Override
    public long countPending() {
      return real.countPending();
    }
  }

  /**
   * A connected device that records what it is sent, each (sender, id) at most once while
   * unacknowledged, as the real connection does, and how it was told to close; {@code live} false:
   * catching up.
   */
  static final class FakeConnection implements Recipient {
    final DeviceAddress device;
    final byte[] tokenHash;
    volatile boolean live = true;
    volatile String closedAs;
    final List<Long> preKeysLow = new CopyOnWriteArrayList<>();
    final List<StoredMessage> delivered = new CopyOnWriteArrayList<>();
    final List<StoredMessage> offered = new CopyOnWriteArrayList<>();
    final List<StoredMessage> sentFromStore = new CopyOnWriteArrayList<>();
    final List<Receipt> receipts = new CopyOnWriteArrayList<>();
    final List<Long> devicesChanged = new CopyOnWriteArrayList<>();
    final List<Long> linked = new CopyOnWriteArrayList<>();
    final SentCopies copies = new SentCopies();

    /** Device 1 of {@code name}. */
    FakeConnection(String name) {
      this(DeviceAddress.first(name), new byte[0]);
    }

    FakeConnection(DeviceAddress device, byte[] tokenHash) {
      this.device = device;
      this.tokenHash = tokenHash;
    }

    @Override
    public DeviceAddress device() {
      return device;
    }

    @Override
    public byte[] tokenHash() {
      return tokenHash;
    }

    @Override
    public long sessionExpiresAt() {
      return Long.MAX_VALUE;
    }

    @Override
    public void offer(StoredMessage message) {
      offered.add(message);
      if (copies.sendStored(message)) {
        sentFromStore.add(message);
      }
    }

    @Override
    public boolean deliverNow(StoredMessage message) {
      if (!live || !copies.sendBeforeStore(message)) {
        return false;
      }
      delivered.add(message);
      return true;
    }

    @Override
    public void receipt(Receipt receipt) {
      receipts.add(receipt);
    }

    @Override
    public void preKeysLow(long count) {
      preKeysLow.add(count);
    }

    @Override
    public void recover() {}

    @Override
    public void connectedElsewhere() {
      closedAs = "connected elsewhere";
    }

    @Override
    public void deviceRemoved() {
      closedAs = "device removed";
    }

    @Override
    public void devicesChanged(long serial) {
      devicesChanged.add(serial);
    }

    @Override
    public void deviceLinked(long serial) {
      linked.add(serial);
    }

    @Override
    public void loggedOut() {
      closedAs = "logged out";
    }

    @Override
    public void sessionExpired() {}
  }

  static class NoOtherNodes implements OtherNodes {
    @Override
    public void deviceLinked(String username) {}

    @Override
    public void connectedHere(DeviceAddress device) {}

    @Override
    public void disconnectedHere(DeviceAddress device) {}

    @Override
    public void deliver(StoredMessage message) {}

    @Override
    public void receipt(DeviceAddress sender, Receipt receipt) {}

    @Override
    public void devicesRemoved(String username, List<Integer> deviceIds) {}

    @Override
    public void revoked(byte[] tokenHash) {}
  }

  /** Other nodes of a cluster, as far as this node hands them messages to deliver. */
  static final class RecordingOtherNodes extends NoOtherNodes {
    final List<StoredMessage> delivered = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(StoredMessage message) {
      delivered.add(message);
    }
  }

  /** The real metrics need a MicroProfile registry. */
  static final class SilentMetrics extends RelayMetrics {
    @Override
    void accepted() {}

    @Override
    void delivered() {}

    @Override
    void fastPath() {}

    @Override
    void committed(int n) {}
  }
}
