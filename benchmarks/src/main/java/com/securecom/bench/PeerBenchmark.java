package com.securecom.bench;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.PreKeyStore;
import com.securecom.client.e2e.Session;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The end-to-end layer: X3DH from a bundle, and Double Ratchet messages of 1 KiB. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PeerBenchmark {
  private final SecureRandom random = new SecureRandom();
  private final byte[] payload = new byte[1024];

  /** A typed line, as {@code securecom send bob < lines.txt} sends each line. */
  private final MessagePayload.Text line =
      new MessagePayload.Text(UUID.randomUUID().toString(), Instant.now(), "message number 500");

  private LocalIdentity alice;
  private LocalIdentity bob;
  private PreKeyBundle bobBundle;
  private Session aliceSession;
  private Session bobSession;

  @Setup(Level.Iteration)
  public void converse() throws Exception {
    random.nextBytes(payload);
    alice = LocalIdentity.generate(random);
    bob = LocalIdentity.generate(random);
    X25519.KeyPair signedPreKey = X25519.generate(random);
    bobBundle =
        new PreKeyBundle(
            "bob",
            bob.identityKey(),
            bob.identityDhKey(),
            bob.identityDhSignature(),
            bob.signPreKey(1, 1_735_732_800L, signedPreKey.publicKey()),
            null);
    Map<Long, X25519.KeyPair> signed = new HashMap<>(Map.of(1L, signedPreKey));
    PreKeyStore bobKeys =
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
    aliceSession = Session.initiate(alice, "alice", bobBundle, random);
    byte[] first = aliceSession.encrypt(payload);
    bobSession =
        Session.accept(bob, "bob", alice.publicIdentity("alice"), first, bobKeys, random).session();
    aliceSession.decrypt(bobSession.encrypt(payload));
  }

  /** X3DH as the initiator: verify the bundle's two signatures, four X25519 agreements, HKDF. */
  @Benchmark
  public Session x3dhInitiate() throws Exception {
    return Session.initiate(alice, "alice", bobBundle, random);
  }

  /**
   * One 1 KiB message: chain-key step, message-key HKDF, AES-256-GCM seal (what a sender pays per
   * message).
   */
  @Benchmark
  public byte[] ratchetEncrypt1KiB() {
    return aliceSession.encrypt(payload);
  }

  /**
   * What the command-line client's {@code --verbose} times per text (CopyMaker), warmed up: the
   * text payload routed to a device (its checks), encoded as JSON, padded, sealed by a ratchet
   * step, and the envelope in base64 for the {@code send}. Not the pin check's choice of session.
   */
  @Benchmark
  public String textLineAsVerboseTimesIt() {
    return Bytes.base64(aliceSession.encrypt(line.routed(1, 1)));
  }

  /** One 1 KiB message sealed by Alice and opened by Bob, in order. */
  @Benchmark
  public byte[] ratchetEncryptAndDecrypt1KiB() throws DecryptionFailedException, Exception {
    return bobSession.decrypt(aliceSession.encrypt(payload));
  }
}
