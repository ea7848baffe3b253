package com.securecom.client.it;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.DeviceLinking;
import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.SentState;
import com.securecom.client.app.Vault;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.RelayLink;
import com.securecom.client.net.ServerApi;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileLocation;
import com.securecom.client.store.ProfileStore;
import com.securecom.client.store.WrongPassphraseException;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One user's client running in this JVM through the app API (Accounts, Vault, Messenger), as the
 * CLI runs it, and recording what it would show: messages, delivery receipts, warnings. "Going
 * offline" closes the messenger and the profile, as quitting the program does; {@link #connect()}
 * opens them again. Each time the profile is closed, its decrypted state is kept ({@link
 * #profileStates()}), so a test can look for its private keys elsewhere, including keys the client
 * has deleted since.
 */
final class AppClient implements MessengerEvents, AutoCloseable {
  static final String PASSWORD = "account password, 10+ chars";

  /** A message as the user sees it. */
  record Received(String from, String id, String text) {}

  /** A text another device of this account sent (a transcript), as the user sees it. */
  record Transcript(String to, String id, String text, int device) {}

  final String username;
  private final ServerApi api;
  private final Path profile;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Transcript> transcripts = new CopyOnWriteArrayList<>();
  private final List<String> groupLines = new CopyOnWriteArrayList<>();
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<Integer> closedBy = new CopyOnWriteArrayList<>();
  private final AtomicInteger sends = new AtomicInteger();
  private final List<JsonObject> profileStates = new CopyOnWriteArrayList<>();
  private volatile Clock clock = Clock.systemUTC();
  private Vault vault;
  private Messenger messenger;

  private AppClient(String username, URI server, Path profile) {
    this.username = username;
    this.api = new ServerApi(server);
    this.profile = profile;
  }

  /**
   * Creates the user's keys and profile under {@code home}, registers and logs in; not connected
   * yet.
   */
  static AppClient register(URI server, Path home, String username) throws IOException {
    Path profile = ProfileLocation.directory(home, server, username);
    new Accounts(new ServerApi(server), new SecureRandom(), Clock.systemUTC())
        .register(profile, username, PASSWORD, passphrase(username), null)
        .close();
    AppClient client = new AppClient(username, server, profile);
    client.keepProfileState();
    return client;
  }

  /**
   * Links a new device to {@code existing}'s account, its profile under {@code home}, as the two
   * commands do (docs/protocol.md, "Linking a device"): the new device opens a mailbox and shows
   * its code, the existing device reads it and sends the sealed provisioning message, the new one
   * receives it and registers itself, and the existing one sees the new device in its list. Not
   * connected yet.
   */
  static AppClient link(AppClient existing, URI server, Path home, String name) throws Exception {
    return link(existing, server, home, name, Clock.systemUTC());
  }

  /**
   * {@link #link(AppClient, URI, Path, String)} with the new device's clock {@code clock} (what it
   * stamps its signed prekey with, and judges its token by), which it keeps ({@link #clock}); the
   * existing device runs on the system's.
   */
  static AppClient link(AppClient existing, URI server, Path home, String name, Clock clock)
      throws Exception {
    DeviceLinking existingDevice =
        new DeviceLinking(new ServerApi(server), new SecureRandom(), Clock.systemUTC());
    DeviceLinking newDevice = new DeviceLinking(new ServerApi(server), new SecureRandom(), clock);
    DeviceLinking.Pending pending = newDevice.open(null);
    String shown = pending.code().text(); // what the user types on the existing device
    boolean wasOpen = existing.vault != null;
    Vault vault =
        wasOpen ? existing.vault : Vault.open(existing.profile, passphrase(existing.username));
    try {
      DeviceLinking.Sent sent = existingDevice.send(vault, LinkCode.read(shown));
      DeviceLinking.Grant grant = newDevice.receive(pending);
      Path profile = ProfileLocation.directory(home, server, existing.username);
      newDevice.link(profile, grant, passphrase(existing.username), name).close();
      if (!existingDevice.awaitLinked(vault, sent.deviceId(), Instant.now().plusSeconds(60))) {
        throw new IllegalStateException("the existing device never saw the new one");
      }
      AppClient client = new AppClient(existing.username, server, profile);
      client.clock = clock;
      client.keepProfileState();
      return client;
    } finally {
      if (!wasOpen) {
        vault.close();
      }
    }
  }

  /**
   * The client of a profile that already exists under {@code home} (one the {@code securecom}
   * command registered, say: its passphrase is {@link Cli#secrets}'); not connected yet.
   */
  static AppClient open(URI server, Path home, String username) {
    AppClient client =
        new AppClient(username, server, ProfileLocation.directory(home, server, username));
    client.keepProfileState();
    return client;
  }

  /** The connected messenger, for a test that drives what the app API does not offer. */
  Messenger messenger() {
    return messenger;
  }

  /** The groups the profile knows (it must be open: connected). */
  List<KnownGroup> groups() {
    return Groups.list(vault);
  }

  static char[] passphrase(String username) {
    return ("profile passphrase of " + username).toCharArray();
  }

  Path profileDirectory() {
    return profile;
  }

  /**
   * The clock this client runs with from its next {@link #connect} on (the system's unless set):
   * the Messenger's, so what it stamps and which token and signed prekey it deems expired.
   */
  AppClient clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Logs in again with the account's password, as {@code securecom login} does (as this profile's
   * device); opens the profile if needed. Not connected.
   */
  AppClient login() throws IOException, WrongPassphraseException {
    if (vault == null) {
      vault = Vault.open(profile, passphrase(username));
    }
    new Accounts(api, new SecureRandom(), clock).login(vault, PASSWORD);
    return this;
  }

  /**
   * The private half of the account's identity signing key, from the profile's state: for a test
   * that does what only the account's own devices can (sign a list).
   */
  byte[] identitySigningPrivateKey() {
    JsonObject state = profileStates.get(profileStates.size() - 1);
    return Bytes.fromBase64(state.getJsonObject("identity").getString("signing"));
  }

  /** Opens the profile if needed and connects; messages queued on the server start arriving. */
  AppClient connect() throws IOException, WrongPassphraseException, ChannelException {
    if (vault == null) {
      vault = Vault.open(profile, passphrase(username));
    }
    Vault open = vault;
    messenger =
        new Messenger(
            vault,
            api,
            (token, listener) ->
                new CountingSends(
                    RelayConnection.open(
                        api.channelUri(), open.info().serverPublicKeyBytes(), token, listener)),
            new SecureRandom(),
            clock,
            this);
    messenger.connect();
    return this;
  }

  /** The safety number of this user and {@code peer}'s pinned identity (60 digits). */
  String safetyNumber(String peer) {
    return new Accounts(api, new SecureRandom(), Clock.systemUTC())
        .safetyNumber(vault, peer)
        .digits();
  }

  /** Encrypts and sends; returns the message id once the server stored the message. */
  String send(String peer, String text) {
    return messenger.send(peer, text);
  }

  /** How long the last {@link #send}'s end-to-end encryption took. */
  Duration lastEncryption() {
    return messenger.timings().encrypt;
  }

  /**
   * Waits until the server has handled everything sent so far, and this client what it had sent
   * before that.
   */
  void sync() throws ChannelException {
    messenger.sync();
  }

  /** Quits: closes the connection and the profile. */
  void goOffline() {
    if (messenger != null) {
      messenger.close();
      messenger = null;
    }
    if (vault != null) {
      vault.close();
      vault = null;
      keepProfileState();
    }
  }

  /** The decrypted profile state each time the profile was closed, oldest first. */
  List<JsonObject> profileStates() {
    return List.copyOf(profileStates);
  }

  private void keepProfileState() {
    try (OpenProfile open = ProfileStore.open(profile, passphrase(username))) {
      profileStates.add(open.state());
    } catch (IOException | WrongPassphraseException e) {
      throw new AssertionError("cannot read the profile of " + username, e);
    }
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> receivedTexts() {
    return received.stream().map(Received::text).toList();
  }

  List<String> receivedIds() {
    return received.stream().map(Received::id).toList();
  }

  List<String> deliveryReceipts() {
    return List.copyOf(delivered);
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * How many {@code send} frames (texts and end-to-end receipts) this client's connections sent.
   */
  int sends() {
    return sends.get();
  }

  /** The close codes of every connection that ended (1000 when this client quit). */
  List<Integer> disconnects() {
    return List.copyOf(closedBy);
  }

  @Override
  public void disconnected(int code, String reason) {
    closedBy.add(code);
  }

  @Override
  public void received(String from, String id, String text, Instant sentAt, boolean unconfirmed) {
    received.add(new Received(from, id, text));
  }

  /**
   * A group text as the user sees it: {@code #name from: text}, with {@code @device} after the
   * sender if another device of this account sent it.
   */
  @Override
  public void receivedInGroup(
      GroupState group,
      String from,
      int device,
      String id,
      String text,
      Instant sentAt,
      boolean unconfirmed) {
    groupLines.add(
        "#" + group.name() + " " + from + (device == 0 ? "" : "@" + device) + ": " + text);
  }

  List<String> groupLines() {
    return List.copyOf(groupLines);
  }

  @Override
  public void sentFromOtherDevice(String to, String id, String text, Instant sentAt, int device) {
    transcripts.add(new Transcript(to, id, text, device));
  }

  List<Transcript> transcripts() {
    return List.copyOf(transcripts);
  }

  /** Records end-to-end delivery receipts: the recipient's client decrypted the message. */
  @Override
  public void sentStateChanged(String to, String id, SentState state) {
    if (state == SentState.DELIVERED) {
      delivered.add(id);
    }
  }

  @Override
  public void warning(String text) {
    warnings.add(text);
  }

  @Override
  public void close() {
    goOffline();
  }

  /** A relay connection that counts the {@code send} frames going out on it. */
  private final class CountingSends implements RelayLink {
    private final RelayLink link;

    CountingSends(RelayLink link) {
      this.link = link;
    }

    @Override
    public int device() {
      return link.device();
    }

    @Override
    public void send(WireMessage message) {
      if (message instanceof WireMessage.Send) {
        sends.incrementAndGet();
      }
      link.send(message);
    }

    @Override
    public void sync() throws ChannelException {
      link.sync();
    }

    @Override
    public int awaitCloseCode() throws InterruptedException {
      return link.awaitCloseCode();
    }

    @Override
    public Duration handshakeTime() {
      return link.handshakeTime();
    }

    @Override
    public void close() {
      link.close();
    }
  }

  @Override
  public String toString() {
    return username;
  }
}
