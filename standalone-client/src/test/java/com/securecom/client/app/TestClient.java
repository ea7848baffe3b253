package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.store.Argon2Params;
import com.securecom.client.store.ProfileInfo;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupState;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real client (real {@link Messenger}, {@link Vault}, sessions) on a profile of its own,
 * connected to a {@link HostileServer}; it records what its user would see. Its keys are its own,
 * whatever name the relay knows it by: Mallory is a client whose relay name is "alice".
 */
public final class TestClient implements MessengerEvents, AutoCloseable {
  /** Cheap Argon2id: the cost of opening a profile is not what these tests are about. */
  private static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);

  record Received(String from, String id, String text, boolean unconfirmed) {}

  /** A text another device of this account sent (a transcript). */
  record Transcript(String to, String id, String text, int device) {}

  /**
   * A group text as the user sees it ({@code device}: another of this account's devices, else 0).
   */
  record GroupMessage(String group, String from, int device, String text, boolean unconfirmed) {}

  final String relayName;
  final Vault vault;
  private final String token;
  private final HostileServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<Transcript> transcripts = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Map<String, SentState> sent = new ConcurrentHashMap<>();
  final List<GroupMessage> groupMessages = new CopyOnWriteArrayList<>();

  /** Each group change shown: the changer, the group's name and the new revision. */
  final List<String> groupChanges = new CopyOnWriteArrayList<>();

  private Messenger messenger;
  private long nextOneTimePreKey;

  private TestClient(String relayName, Vault vault, HostileServer server) {
    this.relayName = relayName;
    this.vault = vault;
    this.server = server;
    this.token = "token-" + relayName + "-" + System.identityHashCode(this);
  }

  /**
   * A new user with fresh keys and prekeys, known to the relay as {@code relayName}; not yet
   * published.
   */
  public static TestClient create(HostileServer server, Path home, String relayName)
      throws IOException {
    SecureRandom random = new SecureRandom();
    ProfileData data = new ProfileData();
    data.identity = LocalIdentity.generate(random);
    PreKeys.rotateSignedPreKey(data, random, Instant.now());
    PreKeys.generateOneTimePreKeys(data, 5, random);
    data.token = "set below";
    data.tokenExpiresAt = Instant.now().plusSeconds(3600);
    Path dir = home.resolve(relayName + "-" + Long.toHexString(random.nextLong()));
    Vault vault =
        Vault.create(
            dir,
            ProfileInfo.of(
                URI.create("https://hostile.example"), relayName, new byte[32], Instant.now()),
            "a passphrase nobody guesses 7#".toCharArray(),
            data,
            CHEAP);
    TestClient client = new TestClient(relayName, vault, server);
    synchronized (vault) {
      data.token = client.token;
      vault.save();
    }
    return client;
  }

  /** The registry's JSON for this client's identity. */
  public JsonObject identityJson() {
    return identity().build();
  }

  /**
   * The registry's JSON for a bundle of this client's keys, each with the next one-time prekey
   * while they last.
   */
  synchronized JsonObject nextBundle() {
    ProfileData data = vault.data();
    JsonObjectBuilder bundle =
        identity().add("signedPreKey", PreKeys.signedPreKeyJson(data.currentSignedPreKey()));
    var opk = data.oneTimePreKeys.ceilingEntry(nextOneTimePreKey);
    if (opk != null) {
      nextOneTimePreKey = opk.getKey() + 1;
      bundle.add(
          "oneTimePreKey",
          Json.createObjectBuilder()
              .add("keyId", opk.getKey())
              .add("publicKey", Bytes.base64(opk.getValue().publicKey())));
    }
    return bundle.build();
  }

  private JsonObjectBuilder identity() {
    LocalIdentity id = vault.data().identity;
    return Json.createObjectBuilder()
        .add("identityKey", Bytes.base64(id.identityKey()))
        .add(
            "identityDhKey",
            Json.createObjectBuilder()
                .add("publicKey", Bytes.base64(id.identityDhKey()))
                .add("signature", Bytes.base64(id.identityDhSignature())));
  }

  /** Publishes this client's keys under its relay name. */
  public TestClient publish() {
    server.publish(relayName, identityJson(), this::nextBundle);
    return this;
  }

  public TestClient connect() throws Exception {
    messenger =
        new Messenger(
            vault,
            server,
            server.connectorFor(relayName, token),
            new SecureRandom(),
            Clock.systemUTC(),
            this,
            Duration.ZERO); // receipts at once: settle() steps the fake server frame by frame
    messenger.connect();
    return this;
  }

  HostileServer.Connection connection() {
    return server.connection(token);
  }

  public String send(String peer, String text) {
    return messenger.send(peer, text);
  }

  Messenger messenger() {
    return messenger;
  }

  Contact contact(String peer) {
    synchronized (vault) {
      return vault.data().contacts.get(peer);
    }
  }

  byte[] storedSessions(String peer) {
    synchronized (vault) {
      byte[] stored = vault.data().sessions.get(peer);
      return stored == null ? null : stored.clone();
    }
  }

  public List<String> texts() {
    return received.stream().map(Received::text).toList();
  }

  @Override
  public void received(String from, String id, String text, Instant sentAt, boolean unconfirmed) {
    received.add(new Received(from, id, text, unconfirmed));
  }

  @Override
  public void sentFromOtherDevice(String to, String id, String text, Instant sentAt, int device) {
    transcripts.add(new Transcript(to, id, text, device));
  }

  @Override
  public void sentStateChanged(String to, String id, SentState state) {
    sent.put(id, state);
  }

  @Override
  public void receivedInGroup(
      GroupState group,
      String from,
      int device,
      String id,
      String text,
      Instant sentAt,
      boolean unconfirmed) {
    groupMessages.add(new GroupMessage(group.name(), from, device, text, unconfirmed));
  }

  @Override
  public void groupChanged(GroupState before, GroupState after, Change change, String by) {
    groupChanges.add(by + " " + after.name() + " r" + after.revision());
  }

  /** The texts of the group messages shown, in order. */
  public List<String> groupTexts() {
    return groupMessages.stream().map(GroupMessage::text).toList();
  }

  /** Sends {@code text} to the group named {@code name}; returns once the server stored it. */
  public void sendToGroup(String name, String text) {
    KnownGroup group =
        groups().stream().filter(g -> g.state().name().equals(name)).findFirst().orElseThrow();
    Messenger.Outcome outcome =
        messenger.sendToGroup(group.state().id(), List.of(text)).outcomes().get(0);
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
  }

  /** The groups this client knows. */
  List<KnownGroup> groups() {
    return Groups.list(vault);
  }

  @Override
  public void warning(String text) {
    warnings.add(text);
  }

  @Override
  public void close() {
    if (messenger != null) {
      messenger.close();
    }
    vault.close();
  }
}
