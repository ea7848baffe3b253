package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.devices.ProvisioningCipher;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.Succession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Linking a new device to an account (docs/protocol.md, "Linking a device"), both halves. The new
 * device {@link #open}s a link mailbox and shows its {@link LinkCode}; the existing device reads
 * the code and {@link #send}s the sealed provisioning message: its {@link #grant} (a one-use
 * ticket, and the account's device list with the new device added, signed by the identity key), the
 * identity's private keys and the contacts' pins; the new device {@link #receive}s and checks it,
 * then {@link #link}s itself (its profile, with the account's identity and keys of its own,
 * registered with the ticket), and the existing device {@link #awaitLinked}.
 *
 * <p>Security guarantee: the list a grant carries descends from the list this device pinned for its
 * own account (refreshed from the server first and verified under its own identity key), so linking
 * never vouches for a device the account did not sign before; the provisioning message is sealed to
 * the code's one-use key and secret, which the server never sees, so it can neither read the
 * message nor stand in for either device.
 */
public final class DeviceLinking {
  /** How often the new device asks for the message, and the existing one for its list. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;
  private final Sleeper sleeper;

  public DeviceLinking(ServerApi api, SecureRandom random, Clock clock) {
    this(api, random, clock, Thread::sleep);
  }

  DeviceLinking(ServerApi api, SecureRandom random, Clock clock, Sleeper sleeper) {
    this.api = api;
    this.random = random;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Waits between polls (tests do not). */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  /**
   * What the existing device hands to the new one (the provisioning message's content): the account
   * and the server key it pinned, the identity's private keys, the new device's id, the ticket, the
   * signed list that adds it, and the contacts' pins.
   */
  public record Grant(
      String username,
      byte[] serverKey,
      byte[] identitySigningKey,
      byte[] identityDhKey,
      int deviceId,
      String ticket,
      SignedDeviceList deviceList,
      List<PinnedContact> contacts) {}

  /** A contact's pin as the provisioning message carries it; {@code deviceList} may be null. */
  public record PinnedContact(
      PeerIdentity identity, boolean verified, SignedDeviceList deviceList) {}

  /** The new device's half of a link in progress: the code it shows and its one-use key. */
  public static final class Pending {
    private final LinkCode code;
    private final byte[] ephemeralPrivateKey;
    private final byte[] serverKey;

    Pending(LinkCode code, byte[] ephemeralPrivateKey, byte[] serverKey) {
      this.code = code;
      this.ephemeralPrivateKey = ephemeralPrivateKey;
      this.serverKey = serverKey;
    }

    /** The code to show (as text and as a QR code). */
    public LinkCode code() {
      return code;
    }

    /** The server key pinned for this link (base64 fingerprint via {@code Fingerprint}). */
    public byte[] serverKey() {
      return serverKey.clone();
    }
  }

  /**
   * The new device's first step: pins the server's key ({@code expectedServerKey}, or the one it
   * shows now), makes a one-use key and secret and opens their mailbox.
   *
   * @throws UntrustedServerException if the server shows another key than {@code expectedServerKey}
   */
  public Pending open(byte[] expectedServerKey) {
    byte[] serverKey =
        new NewProfiles(api, random, clock)
            .serverKey(
                expectedServerKey,
                "the server's key is not the one you were given; do not use this server");
    X25519.KeyPair ephemeral = X25519.generate(random);
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    String mailbox = new LinkCode(ephemeral.publicKey(), secret, 0).mailbox();
    Instant expiresAt = Instant.parse(api.openLinkMailbox(mailbox).getString("expiresAt"));
    return new Pending(
        new LinkCode(ephemeral.publicKey(), secret, expiresAt.getEpochSecond()),
        ephemeral.privateKey(),
        serverKey);
  }

  /**
   * The new device waits for the provisioning message (polling its mailbox every {@link #POLL}
   * until the code expires) and checks it (docs/protocol.md, "The new device's steps", 1 to 6).
   *
   * @throws LinkFailedException if the code expired, the mailbox is gone, or the message does not
   *     match the code
   */
  public Grant receive(Pending pending) throws InterruptedException {
    Instant deadline = Instant.ofEpochSecond(pending.code.expiresAt());
    while (true) {
      Optional<byte[]> message;
      try {
        message = api.takeLinkMessage(pending.code.mailbox());
      } catch (ApiException gone) {
        if (gone.status() == 404) {
          throw new LinkFailedException(
              "the link failed: the code expired or was used; start again");
        }
        throw gone;
      }
      if (message.isPresent()) {
        return open(pending, message.get());
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new LinkFailedException("the link code expired; start again");
      }
      sleeper.sleep(POLL.toMillis());
    }
  }

  private static Grant open(Pending pending, byte[] message) {
    ProvisioningCipher.Opened opened;
    try {
      opened = ProvisioningCipher.open(pending.code, pending.ephemeralPrivateKey, message);
    } catch (DecryptionFailedException e) {
      throw new LinkFailedException(LinkFailedException.DOES_NOT_MATCH, e);
    } finally {
      Arrays.fill(pending.ephemeralPrivateKey, (byte) 0); // one message, one key
    }
    Grant grant = Provisioning.decode(opened);
    if (!MessageDigest.isEqual(grant.serverKey(), pending.serverKey)) {
      throw new LinkFailedException("the other device trusts a different server key; not linking");
    }
    return grant;
  }

  /**
   * The existing device's steps 2 to 5: {@link #grant}, then the provisioning message sealed to
   * {@code code} and put in its mailbox. Contacts that do not fit the message are left out (the new
   * device then pins them on first use).
   *
   * @return the new device's id and how many contacts were left out
   * @throws LinkFailedException if the mailbox is unknown (mistyped, used or expired) or holds a
   *     message already
   */
  public Sent send(Vault vault, LinkCode code) {
    Grant grant = grant(vault);
    String token;
    int linkingDevice;
    synchronized (vault) {
      token = vault.token(clock.instant());
      linkingDevice = vault.data().deviceId;
    }
    int contacts = grant.contacts().size();
    byte[] message = null;
    while (message == null) {
      X25519.KeyPair oneUse = X25519.generate(random);
      try {
        message =
            ProvisioningCipher.seal(
                code,
                oneUse.privateKey(),
                linkingDevice,
                grant.deviceId(),
                grant.username(),
                Provisioning.encode(grant, contacts));
      } catch (IllegalArgumentException tooLarge) {
        if (contacts == 0) {
          throw tooLarge;
        }
        contacts = contacts * 9 / 10;
      } catch (DecryptionFailedException smallOrder) {
        throw new LinkFailedException("this is not a link code", smallOrder); // read() refuses it
      }
    }
    try {
      api.putLinkMessage(token, code.mailbox(), message);
    } catch (ApiException refused) {
      if (refused.status() == 404) {
        throw new LinkFailedException(
            "no device is waiting for this code (mistyped, already used, or expired)");
      }
      if (refused.status() == 409) {
        throw new LinkFailedException("this code was used already; nothing was sent");
      }
      throw refused;
    }
    return new Sent(grant.deviceId(), grant.contacts().size() - contacts);
  }

  /** What {@link #send} sent: the new device's id, and how many contacts did not fit. */
  public record Sent(int deviceId, int contactsLeftOut) {}

  /**
   * The existing device's step 6: fetches and judges its own list every {@link #POLL} until an
   * accepted one holds device {@code deviceId}, at most until {@code deadline}.
   *
   * @return true once it does; false at the deadline
   */
  public boolean awaitLinked(Vault vault, int deviceId, Instant deadline)
      throws InterruptedException {
    DeviceLists lists;
    synchronized (vault) {
      lists = DeviceLists.of(vault, api, random);
    }
    while (true) {
      synchronized (vault) {
        if (lists.refreshOwn(vault.token(clock.instant()), vault.info().username())
            instanceof DeviceTrust.Accepted) {
          vault.save();
        }
        if (lists.pinned(vault.info().username()).ids().contains(deviceId)) {
          return true;
        }
      }
      if (!clock.instant().isBefore(deadline)) {
        return false;
      }
      sleeper.sleep(POLL.toMillis());
    }
  }

  /**
   * The existing device's half: refreshes and verifies this account's list, asks the server for a
   * ticket and signs the successor list that adds device {@code lastDeviceId + 1}.
   *
   * @throws IllegalStateException if the server serves a list for this account that its identity
   *     key did not sign, or an older one
   */
  public Grant grant(Vault vault) {
    synchronized (vault) {
      ProfileData data = vault.data();
      String username = vault.info().username();
      byte[] identityKey = data.identity.identityKey();
      String token = vault.token(clock.instant());
      DeviceLists lists = DeviceLists.of(vault, api, random);
      if (lists.refresh(token, username, identityKey) instanceof DeviceTrust.Refused refused) {
        throw new IllegalStateException(
            "the server presents a device list for your account that your identity key did not"
                + " sign or that goes back ("
                + refused.reason().code()
                + "); not linking");
      }
      vault.save();
      DeviceList current = lists.list(username);
      long now = clock.instant().getEpochSecond();
      List<DeviceEntry> entries = new ArrayList<>();
      int last;
      long serial;
      if (current == null) { // a legacy account: device 1, since the profile was made
        entries.add(new DeviceEntry(DeviceIds.FIRST, vault.info().createdAt().getEpochSecond()));
        last = DeviceIds.FIRST;
        serial = 0;
      } else {
        entries.addAll(current.entries());
        last = current.lastDeviceId();
        serial = current.serial();
      }
      int deviceId = last + 1;
      entries.add(new DeviceEntry(deviceId, now));
      DeviceList next = DeviceList.of(username, identityKey, serial + 1, now, deviceId, entries);
      if (!Succession.isSuccessor(current, next)) {
        throw new IllegalStateException("the new list would not follow the pinned one");
      }
      String ticket = api.deviceTicket(token).getString("ticket");
      List<PinnedContact> contacts = new ArrayList<>();
      for (Contact c : data.contacts.values()) {
        if (contacts.size() < Provisioning.MAX_CONTACTS) { // never a pending identity
          contacts.add(
              new PinnedContact(
                  c.identity(), c.verified(), data.deviceLists.get(c.identity().username())));
        }
      }
      return new Grant(
          username,
          vault.info().serverPublicKeyBytes(),
          data.identity.signingKeyPair().privateKey(),
          data.identity.dhKeyPair().privateKey(),
          deviceId,
          ticket,
          SignedDeviceList.sign(next, data.identity.signingKeyPair().privateKey()),
          List.copyOf(contacts));
    }
  }

  /**
   * The new device's last step: makes its profile in {@code dir} (the account's identity, a signed
   * prekey signed for its device id, one-time prekeys, the contacts' pins), registers it with the
   * grant's ticket and list ({@code POST /api/devices}), keeps the token and pins the list. If the
   * server refuses, the profile is deleted again.
   *
   * @param name what the account's devices show for it (null: none)
   * @throws UntrustedServerException if the server's key is not the account's pinned one
   * @throws LinkFailedException if the server refuses the link (ticket expired or used, the
   *     account's list changed meanwhile, too many devices) or gives the device another id
   */
  public Vault link(Path dir, Grant grant, char[] passphrase, String name) throws IOException {
    NewProfiles profiles = new NewProfiles(api, random, clock);
    byte[] serverKey =
        profiles.serverKey(
            grant.serverKey(),
            "the server's key is not the one your other device pinned; do not use this server");
    ProfileData data = new ProfileData();
    byte[] signing = grant.identitySigningKey();
    byte[] dh = grant.identityDhKey();
    data.identity =
        new LocalIdentity(
            new Ed25519.KeyPair(signing, Ed25519.publicKey(signing)),
            new X25519.KeyPair(dh, X25519.publicKey(dh)));
    data.deviceId = grant.deviceId();
    String username = grant.username();
    data.deviceLists.put(username, grant.deviceList());
    for (PinnedContact c : grant.contacts()) {
      data.contacts.put(c.identity().username(), new Contact(c.identity(), c.verified(), null));
      if (c.deviceList() != null) {
        data.deviceLists.put(c.identity().username(), c.deviceList());
      }
    }
    JsonObject[] linked = new JsonObject[1];
    Vault vault =
        profiles.create(
            dir,
            username,
            serverKey,
            data,
            passphrase,
            preKeys -> {
              JsonObjectBuilder request =
                  Json.createObjectBuilder()
                      .add("username", username)
                      .add("ticket", grant.ticket())
                      .add("deviceList", DeviceLists.json(grant.deviceList()))
                      .add("signedPreKey", preKeys.signedPreKey())
                      .add("oneTimePreKeys", preKeys.oneTimePreKeys());
              if (name != null) {
                request.add("name", name);
              }
              linked[0] = registered(request.build());
            });
    if (linked[0].getInt("deviceId") != grant.deviceId()) {
      vault.close();
      throw new LinkFailedException("the server linked this device under another id");
    }
    synchronized (vault) {
      data.token = linked[0].getString("token");
      data.tokenExpiresAt = Instant.parse(linked[0].getString("expiresAt"));
      vault.save();
    }
    return vault;
  }

  /** {@code POST /api/devices}, its refusals said as the user needs them. */
  private JsonObject registered(JsonObject request) {
    try {
      return api.linkDevice(request);
    } catch (ApiException refused) {
      String why =
          switch (refused.code()) {
            case "invalid_ticket" -> "the link expired; start again";
            case "list_conflict" -> "your account's devices changed meanwhile; start again";
            case "too_many_devices" ->
                "your account has the most devices it may have; remove one first";
            case "rate_limited" -> "too many links today; try again tomorrow";
            default -> null;
          };
      if (why == null) {
        throw refused;
      }
      throw new LinkFailedException("the link failed: " + why, refused);
    }
  }
}
