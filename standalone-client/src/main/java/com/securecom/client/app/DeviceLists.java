package com.securecom.client.app;

import com.securecom.client.net.KeyDirectory;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.devices.MalformedDeviceListException;
import com.securecom.protocol.devices.Refusal;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The device lists this profile pinned (docs/protocol.md, "What a client does with a served list"):
 * which devices of each user it encrypts to and accepts messages from. A list is pinned only when
 * {@link DeviceTrust#check} accepts it against the pin, under the identity key this profile pinned
 * for the user; so a server that adds a device the identity key did not sign, serves an older list
 * or one of two lists with one serial, changes nothing this client does. Callers hold the vault's
 * lock and save after a change.
 */
final class DeviceLists {
  private final ProfileData data;
  private final PeerTrust trust;
  private final KeyDirectory keys;
  private final Consumer<String> warnings;

  DeviceLists(ProfileData data, PeerTrust trust, KeyDirectory keys, Consumer<String> warnings) {
    this.data = data;
    this.trust = trust;
    this.keys = keys;
    this.warnings = warnings;
  }

  /**
   * The lists of {@code vault}'s profile, for work outside a {@link Messenger} (the devices
   * commands, linking): changes are not announced, as the caller reports what it did itself. The
   * caller holds the vault's lock.
   */
  static DeviceLists of(Vault vault, KeyDirectory keys, SecureRandom random) {
    ProfileData data = vault.data();
    return new DeviceLists(
        data, new PeerTrust(data, vault.info().username(), random), keys, ignored -> {});
  }

  /** The devices pinned for {@code user}: its pinned list's, or device 1 for a legacy account. */
  UserDevices pinned(String user) {
    return Fanout.devicesOf(user, list(user));
  }

  /** The pinned list of {@code user}, or null if none is pinned (a legacy account). */
  DeviceList list(String user) {
    SignedDeviceList signed = data.deviceLists.get(user);
    if (signed == null) {
      return null;
    }
    try {
      return DeviceList.parse(signed.body()); // verified when it was pinned
    } catch (MalformedDeviceListException e) {
      throw new IllegalStateException("a pinned device list no longer parses", e);
    }
  }

  /**
   * Fetches the list the server serves for {@code user} and judges it against the pin under {@code
   * identityKey} (the identity key pinned for the user, or the user's own for this profile's
   * account): a valid descendant is pinned, the sessions of devices it no longer lists are deleted
   * and the user is told of the change; anything else leaves the pin and warns.
   *
   * @return the verdict; the pin after it is {@link #pinned}
   * @throws RuntimeException what {@link KeyDirectory#deviceList} throws (the caller tells
   *     transient failures from final ones with {@link KeyDirectory#isTransient})
   */
  DeviceTrust.Verdict refresh(String token, String user, byte[] identityKey) {
    return judge(user, identityKey, keys.deviceList(token, user));
  }

  /**
   * {@link #refresh} of this profile's own account {@code username}, under its own identity key:
   * the user is told of each device linked to or removed from their account.
   */
  DeviceTrust.Verdict refreshOwn(String token, String username) {
    return refresh(token, username, data.identity.identityKey());
  }

  /**
   * Judges the {@code deviceList} member of {@code served} (an answer of {@code GET
   * /api/devices/{username}}, or of {@code GET /api/devices} for this profile's own account) as
   * {@link #refresh} does; a member that is not {@code {body, signature}} in base64 is refused as
   * malformed.
   */
  DeviceTrust.Verdict judge(String user, byte[] identityKey, JsonObject served) {
    SignedDeviceList signed;
    try {
      signed = signedList(served);
    } catch (IllegalArgumentException malformed) {
      warnings.accept("the server's device list for " + user + " is malformed; it is ignored");
      return new DeviceTrust.Refused(Refusal.MALFORMED);
    }
    return accept(user, identityKey, signed);
  }

  /**
   * Judges {@code signed} (null: no list) against the pin under {@code identityKey} as {@link
   * #refresh} does, and pins it if it is a valid descendant: also how this profile pins a list it
   * signed and the server stored.
   */
  DeviceTrust.Verdict accept(String user, byte[] identityKey, SignedDeviceList signed) {
    DeviceTrust.Verdict verdict = DeviceTrust.check(user, identityKey, list(user), signed);
    if (verdict instanceof DeviceTrust.Accepted accepted) {
      data.deviceLists.put(user, accepted.signed());
      for (int removed : accepted.removed()) {
        trust.forgetDevice(user, removed);
      }
      if (!accepted.added().isEmpty() || !accepted.removed().isEmpty()) {
        changeNotices(user, identityKey, accepted).forEach(warnings);
      }
    } else if (verdict instanceof DeviceTrust.Refused refused) {
      warnings.accept(
          "the server presents a device list for "
              + user
              + " that "
              + user
              + "'s identity key did not sign or that goes back ("
              + refused.reason().code()
              + "); your messages still go only to the devices you know");
    }
    return verdict;
  }

  /**
   * What the user is told of an accepted change: for this profile's own account (the list is under
   * its own identity key), each device linked or removed; for anyone else, their new count.
   */
  private List<String> changeNotices(
      String user, byte[] identityKey, DeviceTrust.Accepted accepted) {
    if (!MessageDigest.isEqual(identityKey, data.identity.identityKey())) {
      return List.of(
          user + "'s devices changed: now " + accepted.list().deviceIds().size() + " device(s)");
    }
    List<String> notices = new ArrayList<>();
    for (int added : accepted.added()) {
      notices.add(
          "device "
              + added
              + " was linked to your account "
              + user
              + ": it reads your messages from now on; if you did not link it, remove it"
              + " with 'securecom devices remove "
              + added
              + "'");
    }
    for (int removed : accepted.removed()) {
      notices.add("device " + removed + " was removed from your account " + user);
    }
    return notices;
  }

  /** A signed list as the REST API carries it: {@code {body, signature}}, base64. */
  static JsonObject json(SignedDeviceList signed) {
    return Json.createObjectBuilder()
        .add("body", Bytes.base64(signed.body()))
        .add("signature", Bytes.base64(signed.signature()))
        .build();
  }

  /** The {@code deviceList} member of a served answer; null if absent (a legacy account). */
  private static SignedDeviceList signedList(JsonObject served) {
    if (!served.containsKey("deviceList")) {
      return null;
    }
    if (!(served.get("deviceList") instanceof JsonObject list)
        || !(list.get("body") instanceof JsonString body)
        || !(list.get("signature") instanceof JsonString signature)) {
      throw new IllegalArgumentException("deviceList is {body, signature}");
    }
    return new SignedDeviceList(
        Bytes.fromBase64(body.getString()), Bytes.fromBase64(signature.getString()));
  }
}
