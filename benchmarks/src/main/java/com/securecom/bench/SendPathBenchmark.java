package com.securecom.bench;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.SendPacing;
import com.securecom.client.app.SentState;
import com.securecom.client.app.Vault;
import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.net.KeyDirectory;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.RelayLink;
import com.securecom.client.store.Argon2Params;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileInfo;
import com.securecom.client.store.ProfileStore;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * The command-line client's send path with its profile on disk (a temp directory): {@link #send} is
 * {@link Messenger#send} for real (pin and session checks, a Double Ratchet step, the journal
 * record sealed and forced to disk, the relay's {@code accepted} settled), against a relay that
 * accepts at once and a registry in memory. {@link #wholeProfileWrite} is what every save cost
 * before the journal: the whole state re-encrypted and replaced atomically (the old send path did
 * it twice per message, once before sending and once on {@code accepted}). {@link #sendPipedBatch}
 * is the same path for the lines a pipe has waiting, with one save per batch. {@code sent} fills
 * the profile's list of sent texts as a long-used profile has it (up to 5,000).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SendPathBenchmark {
  static final char[] PASSPHRASE =
      "benchmark profile passphrase, long and random 7#q".toCharArray();
  private static final String TOKEN = "benchmark-token";

  @Param({"0", "5000"})
  int sent;

  private final SecureRandom random = new SecureRandom();
  private static final String TEXT =
      "a message of about the length people type in a chat, 1234567890";
  private static final int BATCH = 100;
  private final List<String> batch = Collections.nCopies(BATCH, TEXT);

  /**
   * The profile's Argon2id cost: cheap here (opening is not measured); the harness sets its own.
   */
  Argon2Params argon2 = new Argon2Params(64, 1, 1);

  /** The registry's answers about bob (his identity, a bundle), for a process of its own. */
  Registry registry;

  Path home;
  private Vault vault;
  private Messenger messenger;
  private OpenProfile wholeProfile;
  private JsonObject wholeState;

  @Setup(Level.Trial)
  public void profiles() throws Exception {
    home = Files.createTempDirectory("securecom-bench");
    LocalIdentity alice = LocalIdentity.generate(random);
    LocalIdentity bob = LocalIdentity.generate(random);
    X25519.KeyPair bobSigned = X25519.generate(random);
    PreKeyBundle.SignedPreKey bobSignedPreKey =
        bob.signPreKey(1, Instant.now().getEpochSecond(), bobSigned.publicKey());
    JsonObject bobIdentity = identityJson(bob);
    JsonObject bobBundle =
        Json.createObjectBuilder(bobIdentity)
            .add(
                "signedPreKey",
                Json.createObjectBuilder()
                    .add("keyId", 1)
                    .add("publicKey", Bytes.base64(bobSigned.publicKey()))
                    .add("createdAt", bobSignedPreKey.createdAt())
                    .add("signature", Bytes.base64(bobSignedPreKey.signature())))
            .build();

    wholeState = profileState(alice);
    ProfileInfo info =
        ProfileInfo.of(URI.create("http://localhost:8080"), "alice", new byte[32], Instant.now());
    ProfileStore.create(home.resolve("alice"), info, PASSPHRASE, wholeState, argon2).close();
    vault = Vault.open(home.resolve("alice"), PASSPHRASE);
    registry = new Registry(bobIdentity, bobBundle);
    messenger =
        new Messenger(vault, registry, AcceptingRelay::new, random, Clock.systemUTC(), new Quiet())
            .paceSends(SendPacing.NONE); // the relay here has no rate limit
    messenger.connect();
    messenger.send("bob", TEXT); // pins bob, starts the session

    wholeProfile =
        ProfileStore.create(
            home.resolve("whole"), info, PASSPHRASE, wholeState, new Argon2Params(64, 1, 1));
  }

  /** Closes the profiles, leaving them on disk. */
  void closeProfiles() throws IOException {
    messenger.close();
    vault.close();
    wholeProfile.close();
  }

  @TearDown(Level.Trial)
  public void removeProfiles() throws IOException {
    closeProfiles();
    deleteHome();
  }

  void deleteHome() throws IOException {
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** One text through the real send path, state durable before it goes out. */
  @Benchmark
  public String send() {
    return messenger.send("bob", TEXT);
  }

  /**
   * A hundred texts through {@link Messenger#sendAll}, as {@code securecom send} sends the lines
   * waiting on a pipe: one durable save for all of them; the score is per text.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<Messenger.Outcome> sendPipedBatch() {
    return messenger.sendAll("bob", batch);
  }

  /** One save as every save was before the journal: the whole profile, encrypted and replaced. */
  @Benchmark
  public void wholeProfileWrite() throws IOException {
    wholeProfile.write(wholeState);
  }

  /** The state ProfileData writes, with {@code sent} texts remembered. */
  private JsonObject profileState(LocalIdentity alice) {
    X25519.KeyPair signed = X25519.generate(random);
    Instant now = Instant.now();
    PreKeyBundle.SignedPreKey spk = alice.signPreKey(1, now.getEpochSecond(), signed.publicKey());
    JsonObjectBuilder oneTime = Json.createObjectBuilder();
    for (int i = 2; i < 102; i++) {
      oneTime.add(Integer.toString(i), Bytes.base64(X25519.generate(random).privateKey()));
    }
    JsonArrayBuilder sentTexts = Json.createArrayBuilder();
    for (int i = 0; i < sent; i++) {
      sentTexts.add(
          Json.createObjectBuilder()
              .add("id", UUID.randomUUID().toString())
              .add("to", "bob")
              .add("state", "DELIVERED"));
    }
    return Json.createObjectBuilder()
        .add("version", 1)
        .add(
            "identity",
            Json.createObjectBuilder()
                .add("signing", Bytes.base64(alice.signingKeyPair().privateKey()))
                .add("dh", Bytes.base64(alice.dhKeyPair().privateKey())))
        .add("nextPreKeyId", 102)
        .add(
            "signedPreKeys",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("keyId", 1)
                        .add("private", Bytes.base64(signed.privateKey()))
                        .add("signature", Bytes.base64(spk.signature()))
                        .add("createdAt", Instant.ofEpochSecond(now.getEpochSecond()).toString())))
        .add("oneTimePreKeys", oneTime)
        .add("token", TOKEN)
        .add("tokenExpiresAt", now.plus(Duration.ofDays(1)).toString())
        .add("contacts", JsonObject.EMPTY_JSON_OBJECT)
        .add("sessions", JsonObject.EMPTY_JSON_OBJECT)
        .add("recentIds", JsonObject.EMPTY_JSON_OBJECT)
        .add("outbox", Json.createArrayBuilder())
        .add("sent", sentTexts)
        .add("undecryptableNoticeSent", Json.createArrayBuilder())
        .build();
  }

  private static JsonObject identityJson(LocalIdentity id) {
    return Json.createObjectBuilder()
        .add("identityKey", Bytes.base64(id.identityKey()))
        .add(
            "identityDhKey",
            Json.createObjectBuilder()
                .add("publicKey", Bytes.base64(id.identityDhKey()))
                .add("signature", Bytes.base64(id.identityDhSignature())))
        .build();
  }

  /** The registry: bob's identity and a bundle without a one-time prekey. */
  record Registry(JsonObject identity, JsonObject bundle) implements KeyDirectory {
    @Override
    public JsonObject bundle(String token, String username) {
      return bundle;
    }

    @Override
    public JsonObject identity(String token, String username) {
      return identity;
    }

    @Override
    public JsonObject bundles(String token, String username, java.util.List<Integer> devices) {
      throw new UnsupportedOperationException("bob is a legacy account: device 1 only");
    }

    @Override
    public JsonObject deviceList(String token, String username) {
      return Json.createObjectBuilder()
          .add("username", username)
          .add("devices", Json.createArrayBuilder().add(1))
          .build();
    }

    @Override
    public int oneTimePreKeyCount(String token) {
      return 100;
    }

    @Override
    public void uploadOneTimePreKeys(String token, JsonObject upload) {}

    @Override
    public void rotateSignedPreKey(String token, JsonObject signedPreKey) {}
  }

  /** A relay that stores every message at once: {@code accepted} before {@code send} returns. */
  record AcceptingRelay(String token, RelayConnection.Listener listener) implements RelayLink {
    @Override
    public void send(WireMessage message) {
      if (message instanceof WireMessage.Send sent) {
        listener.onMessage(new WireMessage.Accepted(sent.id()));
      }
    }

    @Override
    public void sync() {}

    @Override
    public int awaitCloseCode() {
      return 1000;
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
    public void close() {}
  }

  static final class Quiet implements MessengerEvents {
    @Override
    public void received(
        String from, String id, String text, Instant sentAt, boolean unconfirmed) {}

    @Override
    public void warning(String text) {}

    @Override
    public void sentStateChanged(String to, String id, SentState state) {}
  }
}
