package com.securecom.client.app;

import com.securecom.client.net.ApiException;
import com.securecom.client.net.KeyDirectory;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.RelayLink;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A server in the attacker's hands, as a test double of the registry and the relay: it publishes
 * whatever keys the test tells it to under any name, delivers a message to whichever connections
 * the test routes a name to (copies included), stamps any {@code from} it likes, can rewrite
 * envelopes, and can fail identity look-ups. Each connection gets its messages in order on its own
 * thread, as a real connection's reader would deliver them. Public for the command line's tests,
 * which run a chat against it.
 */
public final class HostileServer implements KeyDirectory {
  private final Map<String, JsonObject> identities = new HashMap<>();
  private final Map<String, Supplier<JsonObject>> bundles = new HashMap<>();
  private final Map<String, Connection> byToken = new HashMap<>();
  private final Map<String, List<Connection>> routes = new HashMap<>();
  private final Map<String, Connection> senderOf = new HashMap<>();
  private final List<Connection> connections = new CopyOnWriteArrayList<>();

  /** Every envelope the server was asked to relay: what an operator sees. */
  final List<WireMessage.Send> relayed = new CopyOnWriteArrayList<>();

  /** Every ack, as (acknowledging user, message id). */
  public final List<String> acks = new CopyOnWriteArrayList<>();

  /** Every receiptAck, as (user, message id). */
  final List<String> receiptAcks = new CopyOnWriteArrayList<>();

  private volatile boolean fastPath;

  private RuntimeException identityFailure;
  private String rewrittenSender;
  private UnaryOperator<String> envelopeRewrite = UnaryOperator.identity();
  private final Map<String, WireMessage.Error> refusals = new HashMap<>();

  /**
   * Publishes {@code identity} and a source of bundles (the registry's JSON shapes; each bundle
   * request takes one, as a real registry hands out each one-time prekey once) under {@code name}.
   */
  public synchronized void publish(String name, JsonObject identity, Supplier<JsonObject> bundle) {
    identities.put(name, identity);
    bundles.put(name, bundle);
  }

  /** From now on, messages to {@code name} go to these connections (a copy to each). */
  synchronized void route(String name, Connection... to) {
    routes.put(name, List.of(to));
  }

  /** Identity look-ups throw {@code failure} until called with null. */
  synchronized void failIdentityLookups(RuntimeException failure) {
    identityFailure = failure;
  }

  /** Rewrites every envelope {@code sender} sends from now on (null: none). */
  synchronized void rewriteEnvelopesFrom(String sender, UnaryOperator<String> rewrite) {
    rewrittenSender = sender;
    envelopeRewrite = rewrite;
  }

  /**
   * From now on, messages to {@code name} are refused with {@code code} (not stored, not
   * delivered); each refused {@code send} is kept in {@link #refused}.
   */
  public synchronized void refuseMessagesTo(String name, String code, String message) {
    refusals.put(name, new WireMessage.Error(null, code, message));
  }

  /** The relay takes messages to {@code name} again (after {@link #refuseMessagesTo}). */
  public synchronized void acceptMessagesTo(String name) {
    refusals.remove(name);
  }

  /** Every {@code send} the relay refused ({@link #refuseMessagesTo}), resends included. */
  public final List<WireMessage.Send> refused = new CopyOnWriteArrayList<>();

  /**
   * From now on (true) the relay answers as a version 3 server's fast path does: a {@code send}
   * gets no {@code accepted}; once its recipient acknowledges it, the sender gets one {@code
   * relayed}.
   */
  void answerOnTheFastPath(boolean on) {
    fastPath = on;
  }

  /**
   * The refusal of {@code received} if it names a user whose messages are refused ({@link
   * #refuseMessagesTo}), as the real relay answers: the first such user's code, and for the queue
   * limits {@code devices} naming every refused user's devices among the copies, in the order of
   * first mention; null if none is refused. The caller holds the server's lock.
   */
  private WireMessage.Error refusal(WireMessage.Send received, List<WireMessage.Send> sends) {
    Map<String, TreeSet<Integer>> named = new LinkedHashMap<>();
    WireMessage.Error first = null;
    for (int i = 0; i < sends.size(); i++) {
      String to = sends.get(i).to();
      WireMessage.Error refusal = refusals.get(to);
      if (refusal == null) {
        continue;
      }
      if (first == null) {
        first = refusal;
      }
      int device = received.copies() == null ? 1 : received.copies().get(i).device();
      named.computeIfAbsent(to, u -> new TreeSet<>()).add(device);
    }
    if (first == null) {
      return null;
    }
    boolean limit =
        ErrorCodes.QUEUE_FULL.equals(first.code())
            || ErrorCodes.SENDER_SHARE_FULL.equals(first.code());
    List<WireMessage.UserDevices> devices =
        limit && received.copies() != null
            ? named.entrySet().stream()
                .map(e -> new WireMessage.UserDevices(e.getKey(), 0, List.copyOf(e.getValue())))
                .toList()
            : null;
    return new WireMessage.Error(received.id(), first.code(), first.message(), devices);
  }

  private volatile boolean down;

  /**
   * The server goes down (true: every connection ends with {@code 1006}, as when the process dies,
   * and new ones are refused as unreachable) or comes back (false).
   */
  public void down(boolean isDown) {
    down = isDown;
    if (isDown) {
      connections.forEach(c -> c.drop(1006));
    }
  }

  /** The server closes every open connection of {@code name} with {@code code}. */
  public void close(String name, int code) {
    connections.stream().filter(c -> c.name.equals(name)).forEach(c -> c.drop(code));
  }

  /** How many connections {@code name} has made so far (reconnections included). */
  public long connectionsMadeBy(String name) {
    return connections.stream().filter(c -> c.name.equals(name)).count();
  }

  /** A connector for a client that the relay will know as {@code name} (whatever its keys say). */
  public RelayLink.Connector connectorFor(String name, String token) {
    return (presented, listener) -> {
      if (!presented.equals(token)) {
        throw new IllegalStateException("wrong token");
      }
      if (down) {
        throw new ServerUnreachableException("hostile.example", null);
      }
      Connection c = new Connection(name, listener);
      synchronized (this) {
        byToken.put(token, c);
        List<Connection> route = routes.computeIfAbsent(name, n -> new ArrayList<>(List.of(c)));
        if (!route.isEmpty() && route.stream().allMatch(Connection::isClosed)) {
          routes.put(name, new ArrayList<>(List.of(c))); // the client reconnected
        }
      }
      connections.add(c);
      return c;
    };
  }

  Connection connection(String token) {
    synchronized (this) {
      return byToken.get(token);
    }
  }

  /** Delivers {@code envelope} to {@code to} as if {@code from} had sent it under {@code id}. */
  void inject(String to, String from, String id, String envelope) {
    inject(to, from, 0, id, envelope);
  }

  /**
   * Delivers {@code envelope} to {@code to} as if device {@code device} of {@code from} had sent it
   * under {@code id} (0: a version 3 {@code deliver}, which names no device).
   */
  void inject(String to, String from, int device, String id, String envelope) {
    List<Connection> targets;
    synchronized (this) {
      targets = routes.getOrDefault(to, List.of());
    }
    for (Connection c : targets) {
      c.push(new WireMessage.Deliver(id, from, device, envelope, Instant.now().toString()));
    }
  }

  /** Every {@code send} as the client wrote it (with its copies), in order. */
  public final List<WireMessage.Send> sends = new CopyOnWriteArrayList<>();

  /**
   * Waits until no connection has anything left to handle (a delivery may cause more: loops until
   * quiet).
   */
  public void settle() throws InterruptedException {
    for (int round = 0; round < 50; round++) {
      boolean busy = false;
      for (Connection c : connections) {
        busy |= c.drain();
      }
      if (!busy) {
        return;
      }
    }
    throw new AssertionError("the clients never went quiet");
  }

  @Override
  public synchronized JsonObject bundle(String token, String username) {
    Supplier<JsonObject> bundle = bundles.get(username);
    if (bundle == null) {
      throw new ApiException(404, "unknown_user", "no such user");
    }
    return bundle.get();
  }

  @Override
  public synchronized JsonObject identity(String token, String username) {
    if (identityFailure != null) {
      throw identityFailure;
    }
    JsonObject identity = identities.get(username);
    if (identity == null) {
      throw new ApiException(404, "unknown_user", "no such user");
    }
    return identity;
  }

  /**
   * From now on, {@code name}'s device list is served as {@code answer} (the JSON of {@code GET
   * /api/devices/{username}}), and its devices' bundles ({@code ?devices=}) come from {@code
   * bundles}, by device id. Unless set, a user is a legacy account: no list, device 1.
   */
  public synchronized void serveDevices(
      String name, JsonObject answer, Map<Integer, Supplier<JsonObject>> deviceBundles) {
    deviceLists.put(name, answer);
    this.deviceBundles.put(name, Map.copyOf(deviceBundles));
  }

  private final Map<String, JsonObject> deviceLists = new HashMap<>();
  private final Map<String, Map<Integer, Supplier<JsonObject>>> deviceBundles = new HashMap<>();

  /** Every {@code ?devices=} bundle request, as {@code name:ids}. */
  final List<String> bundleRequests = new CopyOnWriteArrayList<>();

  @Override
  public synchronized JsonObject deviceList(String token, String username) {
    if (!identities.containsKey(username)) {
      throw new ApiException(404, "unknown_user", "no such user");
    }
    return deviceLists.getOrDefault(
        username,
        jakarta.json.Json.createObjectBuilder()
            .add("username", username)
            .add("devices", jakarta.json.Json.createArrayBuilder().add(1))
            .build());
  }

  @Override
  public synchronized JsonObject bundles(String token, String username, List<Integer> devices) {
    bundleRequests.add(username + ":" + devices);
    JsonObject identity = identity(token, username);
    Map<Integer, Supplier<JsonObject>> sources = deviceBundles.getOrDefault(username, Map.of());
    var array = jakarta.json.Json.createArrayBuilder();
    for (int device : devices) {
      Supplier<JsonObject> source =
          device == 1 && !sources.containsKey(1) ? bundles.get(username) : sources.get(device);
      if (source == null) {
        throw new ApiException(404, "unknown_device", "no such device");
      }
      JsonObject bundle = source.get();
      var entry = jakarta.json.Json.createObjectBuilder().add("deviceId", device);
      entry.add("signedPreKey", bundle.get("signedPreKey"));
      if (bundle.containsKey("oneTimePreKey")) {
        entry.add("oneTimePreKey", bundle.get("oneTimePreKey"));
      }
      array.add(entry);
    }
    return jakarta.json.Json.createObjectBuilder(identity).add("devices", array).build();
  }

  /** What {@link #oneTimePreKeyCount} answers (a full pool unless a test drains it). */
  volatile int oneTimePreKeyCount = 100;

  final List<JsonObject> preKeyUploads = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public int oneTimePreKeyCount(String token) {
    return oneTimePreKeyCount;
  }

  @Override
  public void uploadOneTimePreKeys(String token, JsonObject upload) {
    preKeyUploads.add(upload);
  }

  /** Every signed prekey a client uploaded, in order. */
  final List<JsonObject> rotatedSignedPreKeys = new CopyOnWriteArrayList<>();

  @Override
  public void rotateSignedPreKey(String token, JsonObject signedPreKey) {
    rotatedSignedPreKeys.add(signedPreKey);
  }

  /**
   * One client's connection: what the client sends is relayed at once; what it receives comes on
   * its thread.
   */
  final class Connection implements RelayLink {
    private final String name;
    private final RelayConnection.Listener listener;
    private final ExecutorService inbound = Executors.newSingleThreadExecutor();
    private volatile int queued;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    Connection(String name, RelayConnection.Listener listener) {
      this.name = name;
      this.listener = listener;
    }

    boolean isClosed() {
      return closed.isDone();
    }

    /** The connection ends with {@code code}, as the network or the server ends one. */
    void drop(int code) {
      if (closed.complete(code)) {
        inbound.execute(() -> listener.onClose(code, "dropped"));
        inbound.shutdown();
      }
    }

    void push(WireMessage message) {
      synchronized (this) {
        if (isClosed()) {
          return;
        }
        queued++;
      }
      inbound.execute(
          () -> {
            try {
              listener.onMessage(message);
            } finally {
              synchronized (this) {
                queued--;
              }
            }
          });
    }

    /** True if something was still queued on this open connection; waits for it. */
    boolean drain() throws InterruptedException {
      if (isClosed()) {
        return false; // what is still queued to a closed connection is never handled: not busy
      }
      boolean busy;
      synchronized (this) {
        busy = queued > 0;
      }
      if (busy) {
        try {
          inbound.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          throw new AssertionError(e);
        }
      }
      return busy;
    }

    @Override
    public void send(WireMessage message) {
      if (isClosed()) {
        throw new ServerUnreachableException("hostile.example", null);
      }
      if (message instanceof WireMessage.Send received) {
        sends.add(received);
        // each copy as a send of its own (version 1 form): what tests look at
        List<WireMessage.Send> sends =
            received.copies() == null
                ? List.of(received)
                : received.copies().stream()
                    .map(c -> new WireMessage.Send(received.id(), c.to(), c.envelope()))
                    .toList();
        synchronized (HostileServer.this) {
          WireMessage.Error refusal = refusal(received, sends);
          if (refusal != null) {
            refused.add(sends.get(0));
            push(refusal);
            return;
          }
          senderOf.put(received.id(), this);
        }
        relayed.addAll(sends);
        if (!fastPath) {
          push(new WireMessage.Accepted(received.id()));
        }
        for (WireMessage.Send send : sends) {
          String envelope;
          synchronized (HostileServer.this) {
            envelope =
                name.equals(rewrittenSender)
                    ? envelopeRewrite.apply(send.envelope())
                    : send.envelope();
          }
          inject(send.to(), name, send.id(), envelope);
        }
      } else if (message instanceof WireMessage.Ack ack) {
        acks.add(name + "/" + ack.id());
        Connection sender;
        synchronized (HostileServer.this) {
          sender = senderOf.get(ack.id());
        }
        if (sender != null) {
          sender.push(
              fastPath
                  ? new WireMessage.Relayed(ack.id(), name)
                  : new WireMessage.Delivered(ack.id(), name));
        }
      } else if (message instanceof WireMessage.ReceiptAck receiptAck) {
        receiptAcks.add(name + "/" + receiptAck.id());
      }
    }

    @Override
    public void sync() {
      try {
        settle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public int awaitCloseCode() throws InterruptedException {
      try {
        return closed.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public Duration handshakeTime() {
      return Duration.ZERO;
    }

    @Override
    public int device() {
      return 1;
    }

    @Override
    public void close() {
      closed.complete(1000);
      inbound.shutdown();
    }
  }
}
