package com.securecom.server.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.OtherNodes;
import com.securecom.server.relay.StoredMessage;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * {@link OtherNodes} over Payara's Hazelcast data grid.
 *
 * <p>Presence is the grid map {@value #PRESENCE}: username to the grid member id of the node holding the user's
 * socket. A node writes its entry synchronously when a user authenticates (before it reads the user's queue) and
 * removes it, only if still its own, when the socket ends; when a member leaves the cluster (shut down or killed),
 * every survivor deletes the entries that pointed at it. Each node listens on its own topic
 * ({@code securecom-node-<member id>}) and a node hands a message, a receipt or a "connected elsewhere" notice to
 * the user's node by publishing there. Topics rather than clustered CDI events because a handover has one
 * destination (an event goes to every node), and rather than a targeted executor because a handover is a fire-and-
 * forget message, not a task: one lost with a dying node is still in the database.
 *
 * <p>Outbound handovers run on one thread of their own, so the group commit never waits for the grid and a sender's
 * messages keep their order. Payara Micro started with {@code --nocluster} still runs a grid of one member: then
 * presence costs one local map write per login and nothing is ever handed over. Without any grid (another server)
 * every method does nothing.
 */
@ApplicationScoped
public class GridNodes implements OtherNodes {
  private static final Logger LOG = Logger.getLogger(GridNodes.class.getName());
  static final String PRESENCE = "securecom-presence";
  private static final String NODE_TOPIC = "securecom-node-";

  @Inject
  ConnectionRegistry connections;

  @Resource
  ManagedThreadFactory threads;

  private HazelcastInstance grid;
  private String self;
  private IMap<String, String> presence;
  private ExecutorService outbound;
  private UUID topicListener;
  private UUID membershipListener;

  @PostConstruct
  void join() {
    grid = lookUpGrid();
    if (grid == null) {
      LOG.info("No data grid (single node): presence and handovers stay on this node");
      return;
    }
    self = grid.getCluster().getLocalMember().getUuid().toString();
    presence = grid.getMap(PRESENCE);
    outbound = Executors.newSingleThreadExecutor(threads);
    ITopic<byte[]> inbox = grid.getTopic(NODE_TOPIC + self);
    topicListener = inbox.addMessageListener(message -> receive(message.getMessageObject()));
    membershipListener = grid.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // a new node registers its own users
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        forget(event.getMember().getUuid().toString());
      }
    });
    LOG.info("Joined the data grid as " + self + " (" + grid.getCluster().getMembers().size() + " members)");
  }

  private static HazelcastInstance lookUpGrid() {
    try {
      Object found = new InitialContext().lookup("payara/Hazelcast");
      return found instanceof HazelcastInstance hz && hz.getLifecycleService().isRunning() ? hz : null;
    } catch (NamingException | RuntimeException noGrid) {
      return null;
    }
  }

  /** True if this node is part of a data grid. */
  public boolean clustered() {
    return grid != null;
  }

  /** Members of the grid (1 on a single node). */
  public int members() {
    return grid == null ? 1 : grid.getCluster().getMembers().size();
  }

  @Override
  public void connectedHere(String username) {
    if (grid == null) {
      return;
    }
    String previous = presence.put(username, self);
    if (previous != null && !previous.equals(self)) {
      publish(previous, new Handover.ConnectedElsewhere(username));
    }
  }

  @Override
  public void disconnectedHere(String username) {
    if (grid != null) {
      outbound.execute(() -> forgetHere(username));
    }
  }

  /**
   * Removes {@code username}'s entry if it is still this node's and the user has not connected here again: this
   * runs behind queued handovers, possibly after a new connection here already wrote the same entry. If the new
   * connection registered while the entry was being removed, the entry is put back.
   */
  private void forgetHere(String username) {
    try {
      if (!connections.isHere(username) && presence.remove(username, self) && connections.isHere(username)) {
        presence.putIfAbsent(username, self);
      }
    } catch (RuntimeException gridTrouble) {
      LOG.log(Level.WARNING, "Could not clear a presence entry: " + gridTrouble.getClass().getName());
    }
  }

  @Override
  public void deliver(StoredMessage message) {
    if (grid != null) {
      outbound.execute(() -> handTo(message.recipient(), new Handover.Deliver(message)));
    }
  }

  @Override
  public void receipt(String sender, String id, String recipient) {
    if (grid != null) {
      outbound.execute(() -> handTo(sender, new Handover.Receipt(sender, id, recipient)));
    }
  }

  private void handTo(String username, Handover handover) {
    try {
      String node = presence.get(username);
      if (node != null && !node.equals(self)) {
        publish(node, handover);
      }
    } catch (RuntimeException gridTrouble) {
      LOG.log(Level.WARNING, "Handover failed (the database still has it): " + gridTrouble.getClass().getName());
    }
  }

  private void publish(String node, Handover handover) {
    grid.<byte[]>getTopic(NODE_TOPIC + node).publish(Handover.encode(handover));
  }

  private void receive(byte[] bytes) {
    try {
      Handover handover = Handover.decode(bytes);
      if (handover instanceof Handover.Deliver d) {
        connections.deliverHere(d.message());
      } else if (handover instanceof Handover.Receipt r) {
        connections.receiptHere(r.sender(), r.id(), r.recipient());
      } else if (handover instanceof Handover.ConnectedElsewhere c) {
        connections.connectedElsewhere(c.username());
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Ignored a handover: " + e.getClass().getName());
    }
  }

  /** A member left: its users are connected nowhere until they reconnect. */
  void forget(String member) {
    try {
      int before = presence.size();
      presence.removeAll(Predicates.equal("this", member));
      LOG.info("Grid member " + member + " left; presence entries " + before + " -> " + presence.size());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not clear the presence of a departed member: " + e.getClass().getName());
    }
  }

  @PreDestroy
  void leave() {
    if (grid == null) {
      return;
    }
    outbound.shutdownNow();
    try {
      grid.getTopic(NODE_TOPIC + self).removeMessageListener(topicListener);
      grid.getCluster().removeMembershipListener(membershipListener);
      presence.removeAll(Predicates.equal("this", self));
    } catch (RuntimeException gridGone) {
      // the grid shuts down with the server
    }
  }
}
