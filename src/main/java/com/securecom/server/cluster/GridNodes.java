package com.securecom.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.channel.ServerIdentity;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.OtherNodes;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.StoredMessage;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * {@link OtherNodes} over Payara's Hazelcast data grid.
 *
 * <p>Presence is the grid map {@value #PRESENCE}: a device ({@code username/deviceId}) to the grid
 * member id of the node holding the device's socket. A node writes its entry synchronously when a
 * device authenticates (before it reads its queue) and removes it, only if still its own, when the
 * socket ends; when a member leaves the cluster (shut down or killed), every survivor deletes the
 * entries that pointed at it. Each node listens on its own topic ({@code securecom-node-<member
 * id>}) and a node hands a message, a receipt or a "connected elsewhere" notice to the device's
 * node by publishing there (a message to its recipient device's node, a receipt to its sending
 * device's). Topics rather than clustered CDI events because a handover has one destination (an
 * event goes to every node), and rather than a targeted executor because a handover is a
 * fire-and-forget message, not a task: one lost with a dying node is still in the database.
 *
 * <p>Every handover is sealed with {@link HandoverSeal} (an HMAC under a key derived from the
 * shared server key, bound to the destination node and the time), so a handover published by anyone
 * else on the grid's network is ignored. A logout is announced to every other node, which closes
 * the session's connection if it holds it. When a member leaves, every survivor also has its
 * connections read their queues and receipts again: what the departed node stored but never handed
 * over (a message, or the receipt of an acknowledgement it committed) reaches users who stay
 * connected, not only users who reconnect.
 *
 * <p>Outbound handovers run on one thread of their own, so the group commit never waits for the
 * grid and a sender's messages keep their order; the re-reading after a departure runs on another,
 * so it never delays them. Payara Micro started with {@code --nocluster} still runs a grid of one
 * member: then presence costs one local map write per login and nothing is ever handed over.
 * Without any grid (another server) every method does nothing.
 */
@ApplicationScoped
public class GridNodes implements OtherNodes {
  private static final Logger LOG = Logger.getLogger(GridNodes.class.getName());
  static final String PRESENCE = "securecom-presence";
  private static final String NODE_TOPIC = "securecom-node-";

  private ConnectionRegistry connections;
  private DeviceSets deviceSets;
  private ServerIdentity identity;
  private Clock clock;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedThreadFactory threads;

  private HazelcastInstance grid;
  private String self;
  private IMap<String, String> presence;
  private ExecutorService outbound;
  private ExecutorService recovery;
  private final AtomicBoolean recoveryQueued = new AtomicBoolean();
  private UUID topicListener;
  private UUID membershipListener;
  private HandoverSeal seal;
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong lastIgnoredWarning = new AtomicLong(Long.MIN_VALUE / 2);

  protected GridNodes() {}

  @Inject
  public GridNodes(
      ConnectionRegistry connections, DeviceSets deviceSets, ServerIdentity identity, Clock clock) {
    this.connections = connections;
    this.deviceSets = deviceSets;
    this.identity = identity;
    this.clock = clock;
  }

  @PostConstruct
  void join() {
    grid = lookUpGrid();
    if (grid == null) {
      LOG.info("No data grid (single node): presence and handovers stay on this node");
      return;
    }
    self = grid.getCluster().getLocalMember().getUuid().toString();
    seal = new HandoverSeal(identity.clusterHandoverKey());
    presence = grid.getMap(PRESENCE);
    outbound = Executors.newSingleThreadExecutor(threads);
    recovery = Executors.newSingleThreadExecutor(threads);
    ITopic<Object> inbox = grid.getTopic(NODE_TOPIC + self);
    topicListener =
        inbox.addMessageListener(
            message -> {
              if (message.getMessageObject() instanceof byte[] sealed) {
                receive(sealed);
              } else {
                ignored("not bytes");
              }
            });
    membershipListener =
        grid.getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    // a new node registers its own users
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    forget(event.getMember().getUuid().toString());
                    if (recoveryQueued.compareAndSet(
                        false, true)) { // departures close together need one pass
                      recovery.execute(GridNodes.this::recover);
                    }
                  }
                });
    LOG.info(
        "Joined the data grid as "
            + self
            + " ("
            + grid.getCluster().getMembers().size()
            + " members)");
    GridBinding.warnIfListeningEverywhere(grid);
  }

  private static HazelcastInstance lookUpGrid() {
    try {
      Object found = new InitialContext().lookup("payara/Hazelcast");
      return found instanceof HazelcastInstance hz && hz.getLifecycleService().isRunning()
          ? hz
          : null;
    } catch (NamingException | RuntimeException noGrid) {
      return null;
    }
  }

  /** True if this node is part of a data grid. */
  public boolean clustered() {
    return grid != null;
  }

  /** The presence map's key of {@code device}: usernames hold no {@code /}. */
  static String presenceKey(DeviceAddress device) {
    return device.username() + "/" + device.deviceId();
  }

  @Override
  public void connectedHere(DeviceAddress device) {
    if (grid == null) {
      return;
    }
    String previous = presence.put(presenceKey(device), self);
    if (previous != null && !previous.equals(self)) {
      publish(previous, new Handover.ConnectedElsewhere(device));
    }
  }

  @Override
  public void disconnectedHere(DeviceAddress device) {
    if (grid != null) {
      outbound.execute(() -> forgetHere(device));
    }
  }

  /**
   * Removes {@code device}'s entry if it is still this node's and the device has not connected here
   * again: this runs behind queued handovers, possibly after a new connection here already wrote
   * the same entry. If the new connection registered while the entry was being removed, the entry
   * is put back.
   */
  private void forgetHere(DeviceAddress device) {
    String key = presenceKey(device);
    try {
      if (!connections.isHere(device) && presence.remove(key, self) && connections.isHere(device)) {
        presence.putIfAbsent(key, self);
      }
    } catch (RuntimeException gridTrouble) {
      LOG.log(
          Level.WARNING, "Could not clear a presence entry: " + gridTrouble.getClass().getName());
    }
  }

  @Override
  public void deliver(StoredMessage message) {
    if (grid != null) {
      outbound.execute(() -> handTo(message.to(), new Handover.Deliver(message)));
    }
  }

  @Override
  public void receipt(DeviceAddress sender, Receipt receipt) {
    if (grid != null) {
      outbound.execute(
          () ->
              handTo(
                  sender,
                  new Handover.Receipt(
                      sender,
                      receipt.id(),
                      new DeviceAddress(receipt.recipient(), receipt.recipientDevice()))));
    }
  }

  @Override
  public void revoked(byte[] tokenHash) {
    announce(new Handover.Revoked(tokenHash), "a logout");
  }

  @Override
  public void devicesRemoved(String username, List<Integer> deviceIds) {
    announce(new Handover.DevicesRemoved(username, deviceIds), "removed devices");
  }

  @Override
  public void deviceLinked(String username) {
    announce(new Handover.DeviceLinked(username), "a linked device");
  }

  /** Publishes {@code handover} to every other node, behind the handovers queued before it. */
  private void announce(Handover handover, String what) {
    if (grid != null) {
      outbound.execute(
          () -> {
            try {
              for (var member : grid.getCluster().getMembers()) {
                String node = member.getUuid().toString();
                if (!node.equals(self)) {
                  publish(node, handover);
                }
              }
            } catch (RuntimeException gridTrouble) {
              LOG.log(
                  Level.WARNING,
                  "Could not announce "
                      + what
                      + " to the other nodes: "
                      + gridTrouble.getClass().getName());
            }
          });
    }
  }

  /** On a thread of its own: one database read per connection must not hold up live handovers. */
  private void recover() {
    recoveryQueued.set(false);
    try {
      connections.recoverAfterNodeLoss();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Could not re-read queues after a node left: " + e.getClass().getName());
    }
  }

  private void handTo(DeviceAddress device, Handover handover) {
    try {
      String node = presence.get(presenceKey(device));
      if (node != null && !node.equals(self)) {
        publish(node, handover);
      }
    } catch (RuntimeException gridTrouble) {
      LOG.log(
          Level.WARNING,
          "Handover failed (the database still has it): " + gridTrouble.getClass().getName());
    }
  }

  private void publish(String node, Handover handover) {
    grid.<byte[]>getTopic(NODE_TOPIC + node)
        .publish(seal.seal(node, Handover.encode(handover), clock.millis()));
  }

  private void receive(byte[] sealed) {
    try {
      Handover handover = Handover.decode(seal.open(self, sealed, clock.millis()));
      if (handover instanceof Handover.Deliver d) {
        connections.deliverHere(d.message());
      } else if (handover instanceof Handover.Receipt r) {
        connections.receiptHere(
            r.sender(), new Receipt(r.id(), r.recipient().username(), r.recipient().deviceId()));
      } else if (handover instanceof Handover.ConnectedElsewhere c) {
        connections.connectedElsewhere(c.device());
      } else if (handover instanceof Handover.Revoked r) {
        connections.closeRevokedHere(r.tokenHash());
      } else if (handover instanceof Handover.DeviceLinked l) {
        // The link committed before it was announced: the set read now is the new one.
        deviceSets.changed(l.username());
        long serial = deviceSets.current(l.username()).map(UserDevices::serial).orElse(0L);
        connections.linkedHere(l.username(), serial);
      } else if (handover instanceof Handover.DevicesRemoved d) {
        // The removal committed before it was announced: the set read now is the new one.
        deviceSets.changed(d.username());
        long serial = deviceSets.current(d.username()).map(UserDevices::serial).orElse(0L);
        connections.removedHere(d.username(), d.deviceIds(), serial);
      }
    } catch (HandoverSeal.ForgedHandoverException forged) {
      ignored(
          "not authenticated (another server key, a stale clock, or not from a node of this cluster)");
    } catch (RuntimeException e) {
      ignored(e.getClass().getName());
    }
  }

  /**
   * Counts an ignored handover; warns at most once a minute, so that a flood cannot flood the log.
   */
  private void ignored(String why) {
    long count = ignored.incrementAndGet();
    long now = clock.millis();
    long last = lastIgnoredWarning.get();
    if (now - last >= 60_000 && lastIgnoredWarning.compareAndSet(last, now)) {
      LOG.warning("Ignored a handover: " + why + " (" + count + " ignored since start)");
    }
  }

  /** A member left: its users are connected nowhere until they reconnect. */
  void forget(String member) {
    try {
      int before = presence.size();
      presence.removeAll(Predicates.equal("this", member));
      LOG.info(
          "Grid member " + member + " left; presence entries " + before + " -> " + presence.size());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Could not clear the presence of a departed member: " + e.getClass().getName());
    }
  }

  @PreDestroy
  void leave() {
    if (grid == null) {
      return;
    }
    outbound.shutdownNow();
    recovery.shutdownNow();
    try {
      grid.getTopic(NODE_TOPIC + self).removeMessageListener(topicListener);
      grid.getCluster().removeMembershipListener(membershipListener);
      presence.removeAll(Predicates.equal("this", self));
    } catch (RuntimeException gridGone) {
      // the grid shuts down with the server
    }
  }
}
