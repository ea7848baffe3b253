package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceLinked;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.keys.PreKeyPoolLow;
import com.securecom.server.relay.RelayServiceFastPathTest.FakeConnection;
import com.securecom.server.relay.RelayServiceFastPathTest.NoOtherNodes;
import com.securecom.server.session.TokenRevoked;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One connection per device: devices of one account side by side, a second connection of one device
 * closing the first (4409), and notices reaching only the device they are about.
 */
class ConnectionRegistryTest {
  private static final DeviceAddress ALICE_1 = DeviceAddress.first("alice");
  private static final DeviceAddress ALICE_2 = new DeviceAddress("alice", 2);

  private final PresenceOfOtherNodes otherNodes = new PresenceOfOtherNodes();
  private final ConnectionRegistry registry = new ConnectionRegistry(otherNodes);

  @Test
  void twoDevicesOfOneAccount_areConnectedSideBySide() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);

    assertThat(first.closedAs).isNull();
    assertThat(second.closedAs).isNull();
    assertThat(registry.here(ALICE_1)).isSameAs(first);
    assertThat(registry.here(ALICE_2)).isSameAs(second);
    assertThat(otherNodes.connected).containsExactly(ALICE_1, ALICE_2);
  }

  @Test
  void aSecondConnectionOfOneDevice_closesTheFirst_andOutlivesItsUnregistering() {
    FakeConnection old = connect(ALICE_2, 1);
    FakeConnection other = connect(ALICE_1, 2);
    FakeConnection replacement = connect(ALICE_2, 3);

    registry.unregister(old);

    assertThat(old.closedAs).isEqualTo("connected elsewhere");
    assertThat(other.closedAs).isNull();
    assertThat(registry.here(ALICE_2)).isSameAs(replacement);
    assertThat(otherNodes.disconnected).as("the device is still connected here").isEmpty();
  }

  @Test
  void aConnectionOfTheSameDeviceOnAnotherNode_closesOnlyThatDevicesConnection() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);

    registry.connectedElsewhere(ALICE_2);

    assertThat(second.closedAs).isEqualTo("connected elsewhere");
    assertThat(first.closedAs).isNull();
  }

  /** Until relay message version 4, a user's queue and receipts are its device 1's. */
  @Test
  void messagesAndReceipts_goToTheDeviceTheyAreFor() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);
    StoredMessage toSecond =
        new StoredMessage(DeviceAddress.first("bob"), "m-1", ALICE_2, new byte[] {1}, 1, 2, null);

    assertThat(registry.deliverHere(toSecond)).isTrue();
    assertThat(registry.receiptHere(ALICE_1, new Receipt("m-2", "bob", 1))).isTrue();
    assertThat(registry.receiptHere(new DeviceAddress("alice", 3), new Receipt("m-3", "bob", 1)))
        .as("no connection of device 3 here")
        .isFalse();

    assertThat(second.offered).containsExactly(toSecond);
    assertThat(second.receipts).isEmpty();
    assertThat(first.offered).isEmpty();
    assertThat(first.receipts).containsExactly(new Receipt("m-2", "bob", 1));
  }

  @Test
  void aLowPrekeyPool_isToldToItsOwnDeviceOnly() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);

    registry.preKeysLow(new PreKeyPoolLow(ALICE_2, 3));

    assertThat(second.preKeysLow).containsExactly(3L);
    assertThat(first.preKeysLow).isEmpty();
  }

  @Test
  void removedDevices_areClosedHere_andAnnouncedToTheOtherNodes() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);

    FakeConnection bobs = connect(new DeviceAddress("bob", 1), 3);

    registry.closeRemoved(new DevicesRemoved("alice", 7, List.of(2, 5)));

    assertThat(second.closedAs).isEqualTo("device removed");
    assertThat(first.closedAs).isNull();
    assertThat(first.devicesChanged)
        .as("the account's remaining device is told")
        .containsExactly(7L);
    assertThat(second.devicesChanged).isEmpty();
    assertThat(bobs.devicesChanged).as("another account is not").isEmpty();
    assertThat(otherNodes.removed).containsExactly(Map.entry("alice", List.of(2, 5)));
  }

  @Test
  void aLinkedDevice_isToldToTheAccountsConnectionsHere_andAnnouncedToTheOtherNodes() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection bobs = connect(new DeviceAddress("bob", 1), 3);

    registry.linked(new DeviceLinked("alice", 4, 2));

    assertThat(first.linked).containsExactly(4L);
    assertThat(bobs.linked).isEmpty();
    assertThat(otherNodes.linked).containsExactly("alice");
  }

  @Test
  void aLogout_closesTheConnectionOfItsTokenOnly() {
    FakeConnection first = connect(ALICE_1, 1);
    FakeConnection second = connect(ALICE_2, 2);

    registry.closeRevoked(new TokenRevoked(token(2)));

    assertThat(second.closedAs).isEqualTo("logged out");
    assertThat(first.closedAs).isNull();
  }

  private FakeConnection connect(DeviceAddress device, int token) {
    FakeConnection connection = new FakeConnection(device, token(token));
    registry.register(connection);
    return connection;
  }

  private static byte[] token(int n) {
    byte[] hash = new byte[32];
    hash[0] = (byte) n;
    return hash;
  }

  /** The other nodes, as far as this node tells them which devices it holds. */
  private static final class PresenceOfOtherNodes extends NoOtherNodes {
    final List<DeviceAddress> connected = new CopyOnWriteArrayList<>();
    final List<DeviceAddress> disconnected = new CopyOnWriteArrayList<>();
    final List<Map.Entry<String, List<Integer>>> removed = new CopyOnWriteArrayList<>();
    final List<String> linked = new CopyOnWriteArrayList<>();

    @Override
    public void deviceLinked(String username) {
      linked.add(username);
    }

    @Override
    public void devicesRemoved(String username, List<Integer> deviceIds) {
      removed.add(Map.entry(username, deviceIds));
    }

    @Override
    public void connectedHere(DeviceAddress device) {
      connected.add(device);
    }

    @Override
    public void disconnectedHere(DeviceAddress device) {
      disconnected.add(device);
    }
  }
}
