package com.securecom.bench;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.PreKeyStore;
import com.securecom.client.e2e.Session;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.channel.ChannelFrames;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.MessageRepository.Outcome;
import com.securecom.server.relay.QueueLimits;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One group message to {@link #members} other members, one device each (docs/protocol.md, "Version
 * 5" and "Groups"): pairwise fan-out in one relay {@code send} frame.
 *
 * <ul>
 *   <li>{@link #clientMakesTheFrame}: the sender's work: a {@code groupText} payload encrypted on
 *       each member's Double Ratchet session (padding, a chain step, AES-256-GCM), the copies'
 *       base64, the {@code send}'s JSON, and the channel's seal of that one frame.
 *   <li>{@link #serverAcceptsAndDelivers}: the server's work for it, in process: the frame opened
 *       and strictly decoded, every envelope's canonical base64 decoded (the size limits need the
 *       bytes), check 2 to 4 ({@link Fanout#check} at version 5), all copies stored in one
 *       transaction on an H2 file with forced commits, one {@code deliver} per member encoded and
 *       sealed, and then each member's acknowledgement and the sender's receipt acknowledgement
 *       applied (in batches of {@link #members}), so the queues end empty as in a live group. The
 *       container's per-frame cost (Tyrus, Grizzly, the socket: about 21 µs per frame on this
 *       machine, docs/performance.md) is not in it.
 * </ul>
 *
 * The frame of the next operation is sealed by the client before each operation of the second
 * benchmark, outside its time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GroupSendBenchmark {
  private static final String SENDER = "alice";

  /** The server's defaults (securecom.relay.*). */
  private static final QueueLimits LIMITS =
      new QueueLimits(1_000, 16L << 20, 200, 4L << 20, 5_000, 64L << 20);

  private static final Fanout.Limits VERSION_5 =
      new Fanout.Limits(WireMessage.VERSION, WireMessage.MAX_COPIES, 256);

  /** The other members of the group (each with one device). */
  @Param({"10", "100"})
  public int members;

  private final SecureRandom random = new SecureRandom();
  private final GroupId group = GroupId.random(random);
  private final List<Session> sessions = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private List<WireMessage.UserDevices> deviceSets;
  private ChannelFrames clientFrames;
  private ChannelFrames serverFrames;
  private H2File h2;
  private JpaMessageRepository messages;
  private long next;
  private byte[] nextFrame;

  @Setup(Level.Trial)
  public void open() throws Exception {
    LocalIdentity alice = LocalIdentity.generate(random);
    deviceSets = new ArrayList<>(List.of(new WireMessage.UserDevices(SENDER, 0, List.of(1))));
    for (int i = 0; i < members; i++) {
      String name = String.format("member%03d", i);
      names.add(name);
      sessions.add(conversation(alice, name));
      deviceSets.add(new WireMessage.UserDevices(name, 0, List.of(1)));
    }
    Ed25519.KeyPair serverIdentity = Ed25519.generate(random);
    ClientHandshake handshake = new ClientHandshake(serverIdentity.publicKey(), random);
    ServerHandshake.Result server =
        new ServerHandshake(serverIdentity, random).respond(handshake.hello());
    SecureChannel client = handshake.finish(server.serverHello());
    clientFrames = new ChannelFrames(client);
    serverFrames = new ChannelFrames(server.channel());

    List<String> accounts = new ArrayList<>(names);
    accounts.add(SENDER);
    h2 = new H2File("group-send-bench", accounts);
    messages = new JpaMessageRepository(h2.database, Clock.systemUTC());
    System.out.printf(
        "%n%d members: one group text's send frame is %,d bytes before sealing%n",
        members, ChannelFrames.encode(groupText()).length);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    h2.close();
  }

  /** Alice's session with {@code name}, past its first exchange (normal messages from now on). */
  private Session conversation(LocalIdentity alice, String name) throws Exception {
    LocalIdentity peer = LocalIdentity.generate(random);
    X25519.KeyPair signedPreKey = X25519.generate(random);
    PreKeyBundle bundle =
        new PreKeyBundle(
            name,
            peer.identityKey(),
            peer.identityDhKey(),
            peer.identityDhSignature(),
            peer.signPreKey(1, 1_735_732_800L, signedPreKey.publicKey()),
            null);
    Map<Long, X25519.KeyPair> signed = Map.of(1L, signedPreKey);
    PreKeyStore keys =
        new PreKeyStore() {
          @Override
          public Optional<X25519.KeyPair> signedPreKey(long keyId) {
            return Optional.ofNullable(signed.get(keyId));
          }

          @Override
          public Optional<X25519.KeyPair> oneTimePreKey(long keyId) {
            return Optional.empty();
          }

          @Override
          public void removeOneTimePreKey(long keyId) {}
        };
    byte[] hello = new byte[] {'h', 'i'};
    Session mine = Session.initiate(alice, SENDER, bundle, random);
    Session theirs =
        Session.accept(peer, name, alice.publicIdentity(SENDER), mine.encrypt(hello), keys, random)
            .session();
    mine.decrypt(theirs.encrypt(hello));
    return mine;
  }

  /** The sender's whole work for one group text: the sealed {@code send} frame. */
  @Benchmark
  public byte[] clientMakesTheFrame() {
    return clientFrames.seal(ChannelFrames.encode(groupText()));
  }

  /** A new group text's {@code send}: a copy encrypted on each member's session. */
  private WireMessage.Send groupText() {
    String id = "g" + next++;
    MessagePayload.GroupText text =
        new MessagePayload.GroupText(id, Instant.now(), group, "Climbing tonight at 8?", 1, 1);
    List<WireMessage.Copy> copies = new ArrayList<>(members);
    for (int i = 0; i < members; i++) {
      copies.add(
          new WireMessage.Copy(
              names.get(i), 1, Bytes.base64(sessions.get(i).encrypt(text.routed(1, 1)))));
    }
    return new WireMessage.Send(id, copies);
  }

  @Setup(Level.Invocation)
  public void nextFrame() {
    nextFrame = clientMakesTheFrame();
  }

  /** The server's work for one group text, from its frame to empty queues. */
  @Benchmark
  public int serverAcceptsAndDelivers() throws ChannelException {
    WireMessage.Send send = (WireMessage.Send) serverFrames.open(nextFrame);
    Fanout.Outcome outcome = Fanout.check(SENDER, 1, send.copies(), deviceSets, VERSION_5);
    if (!(outcome instanceof Fanout.Accepted)) {
      throw new IllegalStateException("refused: " + outcome);
    }
    long now = System.currentTimeMillis();
    DeviceAddress from = DeviceAddress.first(SENDER);
    List<StoredMessage> copies = new ArrayList<>(members);
    for (WireMessage.Copy copy : send.copies()) {
      copies.add(
          new StoredMessage(
              from,
              send.id(),
              DeviceAddress.first(copy.to()),
              Bytes.fromCanonicalBase64(copy.envelope()),
              now,
              now + 86_400_000L,
              copy.envelope()));
    }
    expect(messages.writeAll(List.of(new RelayWrite.StoreSend(copies)), LIMITS), Outcome.STORED);
    int sealed = 0;
    List<RelayWrite> acks = new ArrayList<>(members);
    List<RelayWrite> forgets = new ArrayList<>(members);
    for (StoredMessage copy : copies) {
      DeviceAddress to = DeviceAddress.first(copy.recipient());
      sealed +=
          serverFrames.seal(
                  ChannelFrames.encode(
                      new WireMessage.Deliver(
                          send.id(), SENDER, 1, copy.envelopeText(), "2026-12-02T12:00:00.000Z")))
              .length;
      acks.add(new RelayWrite.Acknowledge(to, from, send.id(), now, copy.envelope().length));
      forgets.add(new RelayWrite.ForgetReceipt(from, send.id(), to));
    }
    expect(messages.writeAll(acks, LIMITS), Outcome.APPLIED);
    expect(messages.writeAll(forgets, LIMITS), Outcome.APPLIED);
    return sealed;
  }

  private static void expect(List<Outcome> outcomes, Outcome expected) {
    for (Outcome outcome : outcomes) {
      if (outcome != expected) {
        throw new IllegalStateException("expected " + expected + ", was " + outcome);
      }
    }
  }
}
