package com.securecom.client.app;

import com.securecom.client.net.ApiException;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.Succession;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This account's own devices as the user sees and manages them (docs/design/linked-devices.md,
 * "Removal"): {@link #list} shows the devices of the list the account's identity key signed, with
 * what the server reports of each; {@link #remove} signs and stores the list without one of them.
 * Both first fetch the list the server serves ({@code GET /api/devices}) and judge it against this
 * profile's pin, as every served list is judged ({@link DeviceLists}).
 *
 * <p>Security guarantee: which devices are listed, and which a removal keeps, come only from a list
 * the identity key signed that descends from the pin; a served list that is not is refused ({@link
 * UntrustedDeviceListException}) and changes nothing. What the server says of a device (its name
 * above all) is passed on as untrusted text. A device the server reports that the signed list does
 * not name is never listed, only reported apart ({@link Listing#unsigned}).
 */
public final class OwnDevices {
  static final String LIST_CONFLICT = "list_conflict";

  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;

  public OwnDevices(ServerApi api, SecureRandom random, Clock clock) {
    this.api = api;
    this.random = random;
    this.clock = clock;
  }

  /**
   * One device of the signed list.
   *
   * @param createdAt when it was linked, as the signed list says (a legacy account's device 1: as
   *     the server says); null if unknown
   * @param lastSeenAt when it last connected, as the server says; null if never, or if the server
   *     did not report the device
   * @param queued the messages waiting for it on the server; null if the server did not report the
   *     device (or not as a count)
   * @param name the name it chose when it was linked, as the server reports it: untrusted text,
   *     null if none
   */
  public record Device(int id, Instant createdAt, Instant lastSeenAt, Long queued, String name) {}

  /**
   * The account's devices.
   *
   * @param thisDevice the device this profile is
   * @param devices the signed list's devices, by increasing id; {@code thisDevice} is one of them
   * @param unsigned the devices the server reports that the signed list does not name (added behind
   *     the account's back: no client of the account encrypts to them), by increasing id
   */
  public record Listing(
      String account, int thisDevice, List<Device> devices, List<Integer> unsigned) {
    public Listing {
      devices = List.copyOf(devices);
      unsigned = List.copyOf(unsigned);
    }

    /**
     * Device {@code id}, if it is for this device to remove.
     *
     * @throws DeviceNotRemovableException if it is this device, or the signed list has no such
     *     device
     */
    public Device removable(int id) {
      if (id == thisDevice) {
        throw new DeviceNotRemovableException(
            "device " + id + " is this device; remove it from another of your devices");
      }
      return devices.stream()
          .filter(d -> d.id() == id)
          .findFirst()
          .orElseThrow(
              () ->
                  new DeviceNotRemovableException(
                      "account "
                          + account
                          + " has no device "
                          + id
                          + "; 'securecom devices' lists them"));
    }
  }

  /**
   * The account's devices, after the served list was judged against the pin (and pinned if newer).
   *
   * @throws UntrustedDeviceListException if the served list is not one to trust
   * @throws DeviceRemovedException if the trusted list no longer names this device
   */
  public Listing list(Vault vault) {
    synchronized (vault) {
      return listing(vault, fetchVerified(vault));
    }
  }

  /**
   * Removes device {@code deviceId}: the successor of the verified list without it (same {@code
   * lastDeviceId}, the next serial), signed with the identity key, is stored ({@code PUT
   * /api/devices/list}: the server then deletes the device, its tokens and its queue) and pinned.
   * If another list was stored meanwhile (409 {@code list_conflict}), the removal is built once
   * more on that one.
   *
   * @throws DeviceNotRemovableException as {@link Listing#removable}; nothing is sent
   * @throws UntrustedDeviceListException if the served list is not one to trust; nothing is sent
   */
  public void remove(Vault vault, int deviceId) {
    synchronized (vault) {
      try {
        removeFromServedList(vault, deviceId);
      } catch (ApiException conflict) {
        if (!LIST_CONFLICT.equals(conflict.code())) {
          throw conflict;
        }
        try {
          removeFromServedList(vault, deviceId);
        } catch (ApiException again) {
          if (!LIST_CONFLICT.equals(again.code())) {
            throw again;
          }
          throw new ApiException(
              again.status(),
              again.code(),
              "your devices changed twice while device "
                  + deviceId
                  + " was being removed (another device linked or removed one); nothing was"
                  + " removed: try again");
        }
      }
    }
  }

  private void removeFromServedList(Vault vault, int deviceId) {
    ProfileData data = vault.data();
    String account = vault.info().username();
    listing(vault, fetchVerified(vault)).removable(deviceId);
    DeviceLists lists = DeviceLists.of(vault, api, random);
    DeviceList current = lists.list(account); // not null: a legacy account has this device only
    List<DeviceEntry> kept =
        current.entries().stream().filter(e -> e.deviceId() != deviceId).toList();
    DeviceList next =
        DeviceList.of(
            account,
            data.identity.identityKey(),
            current.serial() + 1,
            clock.instant().getEpochSecond(),
            current.lastDeviceId(),
            kept);
    if (Succession.change(current, next) != Succession.Change.REMOVAL) {
      throw new IllegalStateException("the new list would not be a removal");
    }
    SignedDeviceList signed =
        SignedDeviceList.sign(next, data.identity.signingKeyPair().privateKey());
    api.putDeviceList(vault.token(clock.instant()), DeviceLists.json(signed));
    if (!(lists.accept(account, data.identity.identityKey(), signed)
        instanceof DeviceTrust.Accepted)) {
      throw new IllegalStateException("the stored list does not follow the pin");
    }
    vault.save();
  }

  /**
   * Fetches {@code GET /api/devices} and judges its list against the pin; pins it if it is newer.
   */
  private JsonObject fetchVerified(Vault vault) {
    ProfileData data = vault.data();
    String account = vault.info().username();
    JsonObject served = api.ownDevices(vault.token(clock.instant()));
    DeviceLists lists = DeviceLists.of(vault, api, random);
    if (lists.judge(account, data.identity.identityKey(), served)
        instanceof DeviceTrust.Refused refused) {
      throw new UntrustedDeviceListException(account, refused.reason());
    }
    vault.save();
    if (!lists.pinned(account).ids().contains(data.deviceId)) {
      throw new DeviceRemovedException(account);
    }
    return served;
  }

  /** The pinned list's devices, with what {@code served} reports of them. */
  private Listing listing(Vault vault, JsonObject served) {
    ProfileData data = vault.data();
    String account = vault.info().username();
    DeviceLists lists = DeviceLists.of(vault, api, random);
    DeviceList signed = lists.list(account);
    Map<Integer, ServerDeviceRows.Row> rows = ServerDeviceRows.of(served);
    List<Device> devices = new ArrayList<>();
    for (int id : lists.pinned(account).ids()) {
      ServerDeviceRows.Row row = rows.remove(id);
      Instant created =
          signed != null
              ? Instant.ofEpochSecond(signed.entry(id).createdAt())
              : row == null ? null : row.createdAt();
      devices.add(
          row == null
              ? new Device(id, created, null, null, null)
              : new Device(id, created, row.lastSeenAt(), row.queued(), row.name()));
    }
    return new Listing(account, data.deviceId, devices, List.copyOf(rows.keySet()));
  }
}
