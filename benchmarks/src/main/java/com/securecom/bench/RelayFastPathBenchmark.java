package com.securecom.bench;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.wire.MalformedMessageException;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.channel.ChannelFrames;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.Answers;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.Recipient;
import com.securecom.server.relay.SentCopies;
import com.securecom.server.relay.StoredMessage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The server's own CPU per message relayed on the fast path (recipient online here, {@code ack} in
 * time, nothing written), in process: no container, no socket, no database. One operation is one 1
 * KiB message's whole life on the server, with the real classes: the sender's {@code send} frame
 * opened and strictly decoded ({@link ChannelFrames}), the envelope's canonical base64 check and
 * {@link com.securecom.server.relay.RelayService#send} through {@link
 * com.securecom.server.relay.FastPath} to the recipient's connection, which encodes and seals the
 * {@code deliver}; the recipient's {@code ack} frame opened, decoded and applied; then, at relay
 * {@link #version} 3, the sender's {@code relayed} encoded and sealed ({@link Answers}): four
 * frames; at version 2, the sender's {@code delivered} and {@code accepted} encoded and sealed and
 * its {@code receiptAck} opened and applied: six frames. The connections' bookkeeping mirrors
 * {@code ClientConnection} (its socket, rate limit and back-pressure are left out).
 *
 * <p>{@link #channelOnly} is the same frames of the same sizes with only sealing and opening: the
 * channel's share. The clients' frames are sealed before each batch, outside the timing (their
 * allocation still shows in {@code -prof gc}: {@link #clientFramesOnly} is that part alone).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RelayFastPathBenchmark {
  /** Messages per invocation: the clients' frames for them are sealed before it. */
  static final int BATCH = 64;

  private static final WireCodec CODEC = new WireCodec();
  private static final String SENDER = "alice";
  private static final String RECIPIENT = "bob";

  /** The relay message version the sender's connection speaks (docs/protocol.md, "Versions"). */
  @Param({"3", "2"})
  public int version;

  private final SecureRandom random = new SecureRandom();
  private final String[] ids = new String[BATCH];
  private String envelope;
  private InProcessRelay server;

  /** The sender's and the recipient's channels, client side and server side. */
  private SecureChannel aliceClient;

  private SecureChannel bobClient;
  private Connection alice;
  private Connection bob;

  /** This batch's client frames: send and receiptAck from alice, ack from bob. */
  private final byte[][] sends = new byte[BATCH][];

  private final byte[][] receiptAcks = new byte[BATCH][];
  private final byte[][] acks = new byte[BATCH][];

  /**
   * The plaintexts of the server's frames, for {@link #channelOnly}: deliver, accepted, delivered.
   */
  private byte[] deliverPlaintext;

  private byte[] acceptedPlaintext;
  private byte[] deliveredPlaintext;
  private byte[] relayedPlaintext;

  @Setup(Level.Trial)
  public void start() throws ChannelException, MalformedMessageException {
    byte[] bytes = new byte[1024];
    random.nextBytes(bytes);
    envelope = Bytes.base64(bytes);
    for (int i = 0; i < BATCH; i++) {
      ids[i] = UUID.randomUUID().toString();
    }
    server = new InProcessRelay(SENDER, RECIPIENT);
    Ed25519.KeyPair identity = Ed25519.generate(random);
    ServerHandshake handshake = new ServerHandshake(identity, random);
    ChannelPair a = ChannelPair.open(identity, handshake, random);
    ChannelPair b = ChannelPair.open(identity, handshake, random);
    aliceClient = a.client;
    bobClient = b.client;
    alice = new Connection(SENDER, a.server);
    bob = new Connection(RECIPIENT, b.server);
    alice.answers.speak(version);
    bob.answers.speak(version);
    server.connections.register(alice);
    server.connections.register(bob);

    StoredMessage sample =
        new StoredMessage(0, SENDER, ids[0], RECIPIENT, bytes, System.currentTimeMillis(), 0);
    deliverPlaintext = ChannelFrames.encode(sample.deliver());
    acceptedPlaintext = ChannelFrames.encode(new WireMessage.Accepted(ids[0]));
    deliveredPlaintext = ChannelFrames.encode(new WireMessage.Delivered(ids[0], RECIPIENT));
    relayedPlaintext = ChannelFrames.encode(new WireMessage.Relayed(ids[0], RECIPIENT));

    checkOneMessage();
  }

  /**
   * One message through the fast path, read back by the clients: the recipient gets the envelope as
   * sent, the sender {@code relayed} (version 3) or {@code delivered} then {@code accepted}
   * (version 2). Anything else fails the run.
   */
  private void checkOneMessage() throws ChannelException, MalformedMessageException {
    sealClientFrames(1);
    relayBatch(null, 1);
    WireMessage.Deliver deliver = (WireMessage.Deliver) CODEC.decode(open(bobClient, bob.last));
    List<WireMessage> toAlice = new ArrayList<>();
    for (byte[] frame : alice.sent) {
      toAlice.add(CODEC.decode(open(aliceClient, frame)));
    }
    List<WireMessage> expected =
        version >= 3
            ? List.of(new WireMessage.Relayed(ids[0], RECIPIENT))
            : List.of(
                new WireMessage.Delivered(ids[0], RECIPIENT), new WireMessage.Accepted(ids[0]));
    if (!deliver.envelope().equals(envelope)
        || !deliver.from().equals(SENDER)
        || !toAlice.equals(expected)) {
      throw new IllegalStateException("not the fast path: " + deliver + " " + toAlice);
    }
    alice.sent.clear();
    alice.keepSent = false; // the clients read no further
  }

  private static byte[] open(SecureChannel channel, byte[] frame) {
    try {
      return channel.open(frame);
    } catch (ChannelException e) {
      throw new IllegalStateException(e);
    }
  }

  @Setup(Level.Invocation)
  public void sealClientFrames() {
    sealClientFrames(BATCH);
  }

  private void sealClientFrames(int count) {
    for (int i = 0; i < count; i++) {
      sends[i] = aliceClient.seal(CODEC.encode(new WireMessage.Send(ids[i], RECIPIENT, envelope)));
      acks[i] = bobClient.seal(CODEC.encode(new WireMessage.Ack(ids[i], SENDER)));
      if (version < 3) {
        receiptAcks[i] = aliceClient.seal(CODEC.encode(new WireMessage.ReceiptAck(ids[i])));
      }
    }
  }

  @TearDown(Level.Trial)
  public void check() {
    if (server.fastPath.size() != 0 || alice.unexpected != 0 || bob.unexpected != 0) {
      throw new IllegalStateException(
          "left the fast path: "
              + server.fastPath.size()
              + " waiting, "
              + (alice.unexpected + bob.unexpected)
              + " unexpected answers");
    }
  }

  /** The server's work for one message on the fast path. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void fastPath(Blackhole out) throws ChannelException {
    relayBatch(out, BATCH);
  }

  private void relayBatch(Blackhole out, int count) throws ChannelException {
    for (int i = 0; i < count; i++) {
      alice.onFrame(sends[i]);
      bob.onFrame(acks[i]);
      if (version < 3) {
        alice.onFrame(receiptAcks[i]);
      }
    }
    if (out != null) {
      out.consume(alice.last);
      out.consume(bob.last);
    }
  }

  /** The same frames, only opened and sealed: what the channel alone costs per message. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void channelOnly(Blackhole out) throws ChannelException {
    for (int i = 0; i < BATCH; i++) {
      out.consume(alice.channel.open(sends[i]));
      out.consume(bob.frames.seal(deliverPlaintext));
      out.consume(bob.channel.open(acks[i]));
      if (version >= 3) {
        out.consume(alice.frames.seal(relayedPlaintext));
      } else {
        out.consume(alice.frames.seal(deliveredPlaintext));
        out.consume(alice.frames.seal(acceptedPlaintext));
        out.consume(alice.channel.open(receiptAcks[i]));
      }
    }
  }

  /** Nothing but the invocation's setup: the clients' sealing, for reading {@code -prof gc}. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void clientFramesOnly() {}

  /** Both ends of one channel after a real handshake. */
  private record ChannelPair(SecureChannel client, SecureChannel server) {
    static ChannelPair open(
        Ed25519.KeyPair identity, ServerHandshake handshake, SecureRandom random)
        throws ChannelException {
      ClientHandshake client = new ClientHandshake(identity.publicKey(), random);
      ServerHandshake.Result result = handshake.respond(client.hello());
      return new ChannelPair(client.finish(result.serverHello()), result.channel());
    }
  }

  /**
   * A live connection as {@code ClientConnection} is one, without its socket: inbound frames opened
   * and dispatched as its {@code LiveHandler} does, outbound messages encoded and sealed under one
   * lock with the same bookkeeping (unacknowledged deliveries, owed acknowledgements, bytes in
   * flight), the sealed frame kept as the socket's last write.
   */
  private final class Connection implements Recipient {
    final String name;
    final ChannelFrames frames;
    final SecureChannel channel;
    final Answers answers = new Answers(this::send);
    final SentCopies unacknowledged = new SentCopies();
    final Object sendLock = new Object();
    long pendingBytes;
    long freeAcknowledgements;
    byte[] last;
    boolean keepSent = true;
    final List<byte[]> sent = new ArrayList<>();
    int unexpected;

    /** {@code channel}: the server's end, also opened directly by {@link #channelOnly}. */
    Connection(String name, SecureChannel channel) {
      this.name = name;
      this.channel = channel;
      this.frames = new ChannelFrames(channel);
    }

    void onFrame(byte[] frame) throws ChannelException {
      WireMessage message = frames.open(frame);
      if (message instanceof WireMessage.Send send) {
        server.relay.send(DeviceAddress.first(name), version, send, answers.next());
      } else if (message instanceof WireMessage.Ack ack) {
        DeviceAddress sender = DeviceAddress.first(ack.from());
        server.relay.acknowledge(
            DeviceAddress.first(name),
            sender,
            ack.id(),
            unacknowledged.acknowledged(sender, ack.id()));
      } else if (message instanceof WireMessage.ReceiptAck receiptAck) {
        if (!answers.receiptNotStored(receiptAck.id())) {
          unexpected++;
        }
      } else {
        throw new IllegalStateException("not a frame of this benchmark: " + message.type());
      }
    }

    void send(WireMessage message) {
      if (!(message instanceof WireMessage.Accepted
          || message instanceof WireMessage.Delivered
          || message instanceof WireMessage.Relayed)) {
        unexpected++;
      }
      sendNow(message);
    }

    private void sendNow(WireMessage message) {
      byte[] plaintext = ChannelFrames.encode(message);
      synchronized (sendLock) {
        pendingBytes += plaintext.length + 24;
        if (message instanceof WireMessage.Deliver || message instanceof WireMessage.Delivered) {
          freeAcknowledgements++;
        }
        last = frames.seal(plaintext);
        if (keepSent) {
          sent.add(last);
        }
        pendingBytes -= plaintext.length + 24; // written at once
      }
    }

    @Override
    public DeviceAddress device() {
      return DeviceAddress.first(name);
    }

    @Override
    public byte[] tokenHash() {
      return new byte[32];
    }

    @Override
    public long sessionExpiresAt() {
      return Long.MAX_VALUE;
    }

    @Override
    public void offer(StoredMessage message) {
      unexpected++;
    }

    @Override
    public boolean deliverNow(StoredMessage m) {
      if (!unacknowledged.sendBeforeStore(m)) {
        return false;
      }
      sendNow(m.deliver());
      return true;
    }

    @Override
    public void receipt(Receipt receipt) {
      unexpected++;
    }

    @Override
    public void preKeysLow(long count) {}

    @Override
    public void recover() {}

    @Override
    public void connectedElsewhere() {}

    @Override
    public void deviceRemoved() {}

    @Override
    public void deviceLinked(long serial) {}

    @Override
    public void devicesChanged(long serial) {}

    @Override
    public void loggedOut() {}

    @Override
    public void sessionExpired() {}
  }
}
