package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.relay.GroupCommitTest.PlainThreads;
import com.securecom.server.relay.RelayServiceFastPathTest.FakeConnection;
import com.securecom.server.relay.RelayServiceFastPathTest.NoOtherNodes;
import com.securecom.server.relay.RelayServiceFastPathTest.RecordingOtherNodes;
import com.securecom.server.relay.RelayServiceFastPathTest.SilentMetrics;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.testing.InMemoryDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The relay over the real group commit, repository and device sets, for the tests of sends to
 * device sets (versions 4 and 5): Alice has devices 1 and 2 (list serial 4), Bob devices 1 and 3
 * (serial 7), Carol is legacy (device 1, no list).
 */
abstract class RelayServiceFixture {
  static final DeviceAddress ALICE_1 = DeviceAddress.first("alice");
  static final DeviceAddress ALICE_2 = new DeviceAddress("alice", 2);
  static final DeviceAddress BOB_1 = DeviceAddress.first("bob");
  static final DeviceAddress BOB_3 = new DeviceAddress("bob", 3);
  static final DeviceAddress CAROL = DeviceAddress.first("carol");

  InMemoryDatabase db;
  JpaMessageRepository messages;
  GroupCommit writes;
  ConnectionRegistry connections;
  DeviceSets sets;
  RelaySettings settings;
  RelayService relay;
  final RecordingOtherNodes otherNodes = new RecordingOtherNodes();

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    for (String user : List.of("alice", "bob", "carol")) {
      db.addAccount(user);
    }
    db.addDevice(ALICE_2);
    db.addDevice(BOB_3);
    storedListSerial("alice", 4);
    storedListSerial("bob", 7);
    messages = new JpaMessageRepository(db.database(), Clock.systemUTC());
    settings = new RelaySettings();
    settings.fastPathWindow = Duration.ZERO;
    RelayMetrics metrics = new SilentMetrics();
    writes = new GroupCommit(messages, settings, metrics);
    writes.threads = new PlainThreads();
    writes.start();
    connections = new ConnectionRegistry(new NoOtherNodes());
    sets = db.deviceSets();
    relay =
        new RelayService(
            messages,
            sets,
            writes,
            connections,
            otherNodes,
            settings,
            metrics,
            Clock.systemUTC(),
            new FastPath(settings, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    writes.stop();
    db.close();
  }

  /**
   * The relay reads only a list's serial (the lists themselves are checked where they are stored),
   * so a placeholder body stands for a signed list here.
   */
  void storedListSerial(String user, long serial) {
    db.update(
        "INSERT INTO device_list (username, serial, body, signature, updated_at)"
            + " VALUES (?1, ?2, ?3, ?4, 0)",
        user,
        serial,
        new byte[] {1},
        new byte[64]);
  }

  void awaitPending() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    relay.afterPending(() -> done.complete(null));
    done.join();
  }

  FakeConnection connect(DeviceAddress device) {
    FakeConnection connection = new FakeConnection(device, new byte[0]);
    connections.register(connection);
    return connection;
  }

  static Copy copy(String to, int device, int envelopeByte) {
    return new Copy(to, device, Bytes.base64(new byte[] {(byte) envelopeByte}));
  }

  /** A send on a version 4 connection. */
  WireMessage send(DeviceAddress sender, String id, Copy... copies) {
    return send(sender, WireMessage.DEVICES_VERSION, id, List.of(copies));
  }

  /** A send on a connection of relay message {@code version}. */
  WireMessage send(DeviceAddress sender, int version, String id, List<Copy> copies) {
    return answerTo(sender, version, new WireMessage.Send(id, new ArrayList<>(copies)));
  }

  WireMessage oldSend(DeviceAddress sender, String id, String to) {
    return answerTo(sender, 3, new WireMessage.Send(id, to, Bytes.base64(new byte[] {1})));
  }

  private WireMessage answerTo(DeviceAddress sender, int version, WireMessage.Send send) {
    CompletableFuture<WireMessage> answer = new CompletableFuture<>();
    relay.send(sender, version, send, answer::complete);
    try {
      return answer.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
  }

  static String errorCode(WireMessage answer) {
    assertThat(answer).isInstanceOf(WireMessage.Error.class);
    return ((WireMessage.Error) answer).code();
  }
}
