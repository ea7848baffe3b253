package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.net.ServerApi;
import com.securecom.client.store.ProfileInfo;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.Succession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Linking a new device to an account (docs/protocol.md, "Linking a device"), both halves: the
 * existing device's {@link #grant} (a one-use ticket, and the account's device list with the new
 * device added, signed by the identity key) and the new device's {@link #link} (its profile, with
 * the account's identity and keys of its own, registered with the ticket). What the grant carries
 * from one device to the other is the provisioning message's content; sealing it under the new
 * device's link code (step 8 of docs/design/linked-devices.md) is not built yet, so a grant can
 * only be handed over in one process (tests).
 *
 * <p>Security guarantee: the list a grant carries descends from the list this device pinned for its
 * own account (refreshed from the server first and verified under its own identity key), so linking
 * never vouches for a device the account did not sign before.
 */
public final class DeviceLinking {
  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;

  public DeviceLinking(ServerApi api, SecureRandom random, Clock clock) {
    this.api = api;
    this.random = random;
    this.clock = clock;
  }

  /**
   * What the existing device hands to the new one: the account, the identity's private keys, the
   * new device's id, the ticket and the signed list that adds it.
   */
  public record Grant(
      ProfileInfo account,
      byte[] identitySigningKey,
      byte[] identityDhKey,
      int deviceId,
      String ticket,
      SignedDeviceList deviceList) {}

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
      DeviceLists lists =
          new DeviceLists(data, new PeerTrust(data, username, random), api, ignored -> {});
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
      return new Grant(
          vault.info(),
          data.identity.signingKeyPair().privateKey(),
          data.identity.dhKeyPair().privateKey(),
          deviceId,
          ticket,
          SignedDeviceList.sign(next, data.identity.signingKeyPair().privateKey()));
    }
  }

  /**
   * The new device's half: makes its profile in {@code dir} (the account's identity, a signed
   * prekey signed for its device id, one-time prekeys), registers it with the grant's ticket and
   * list ({@code POST /api/devices}), keeps the token and pins the list.
   *
   * @param name what the account's devices show for it (null: none)
   * @throws IllegalStateException if the server's key is not the account's pinned one, or the
   *     server gives the device another id than the list
   */
  public Vault link(Path dir, Grant grant, char[] passphrase, String name) throws IOException {
    NewProfiles profiles = new NewProfiles(api, random, clock);
    byte[] serverKey =
        profiles.serverKey(
            grant.account().serverPublicKeyBytes(),
            "the server's key is not the one your other device pinned; do not use this server");
    ProfileData data = new ProfileData();
    byte[] signing = grant.identitySigningKey();
    byte[] dh = grant.identityDhKey();
    data.identity =
        new LocalIdentity(
            new Ed25519.KeyPair(signing, Ed25519.publicKey(signing)),
            new X25519.KeyPair(dh, X25519.publicKey(dh)));
    data.deviceId = grant.deviceId();
    String username = grant.account().username();
    data.deviceLists.put(username, grant.deviceList());
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
              linked[0] = api.linkDevice(request.build());
            });
    if (linked[0].getInt("deviceId") != grant.deviceId()) {
      vault.close();
      throw new IllegalStateException("the server linked this device under another id");
    }
    synchronized (vault) {
      data.token = linked[0].getString("token");
      data.tokenExpiresAt = Instant.parse(linked[0].getString("expiresAt"));
      vault.save();
    }
    return vault;
  }
}
