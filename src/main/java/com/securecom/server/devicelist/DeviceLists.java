package com.securecom.server.devicelist;

import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceListRefusedException;
import com.securecom.protocol.devices.MalformedDeviceListException;
import com.securecom.protocol.devices.Refusal;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.Succession;
import com.securecom.server.device.Device;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.InvalidKeySignatureException;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.keys.UnknownUserException;
import com.securecom.server.persistence.Database;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.web.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each account's signed device list: served as uploaded, replaced only by a successor that the
 * account's identity key signed.
 *
 * <p>Guarantees: a stored list verified under the account's identity key when it was uploaded
 * (signature, form, username, key), was issued within a day of this server's clock, and is the
 * successor of the list it replaced (serial one higher, no entry changed or revived), compare-and-
 * set on the serial so that of two racing uploads one wins and the other is a {@link
 * ListConflictException}. The account's device rows equal the stored list's entries (a legacy
 * account: device 1): a removal deletes the devices it leaves out, with their prekeys and tokens,
 * in the transaction that stores the list, then fires {@link DevicesRemoved}. {@code PUT} never
 * adds a device: linking one is its own call (linked devices, step 6).
 */
@ApplicationScoped
public class DeviceLists {
  /** How far a list's {@code issuedAt} may be from this server's clock. */
  static final Duration ISSUED_WITHIN = Duration.ofDays(1);

  private DeviceListRepository lists;
  private DeviceRepository devices;
  private KeyRegistry keys;
  private Database database;
  private Clock clock;
  private Event<DevicesRemoved> removed;
  private DeviceSets sets;
  private KeyedRateLimiter uploads;
  private int maxDevices;

  protected DeviceLists() {}

  @Inject
  public DeviceLists(
      DeviceListRepository lists,
      DeviceRepository devices,
      KeyRegistry keys,
      Database database,
      Clock clock,
      Event<DevicesRemoved> removed,
      DeviceSets sets,
      @ConfigProperty(name = "securecom.devices.list-uploads-per-hour", defaultValue = "60")
          int uploadsPerHour,
      @ConfigProperty(name = "securecom.devices.max", defaultValue = "6") int maxDevices) {
    if (maxDevices < 1 || maxDevices > DeviceList.MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "securecom.devices.max must be 1 to " + DeviceList.MAX_ENTRIES);
    }
    this.lists = lists;
    this.devices = devices;
    this.keys = keys;
    this.database = database;
    this.clock = clock;
    this.removed = removed;
    this.sets = sets;
    this.uploads = new KeyedRateLimiter(uploadsPerHour, Duration.ofHours(1), clock);
    this.maxDevices = maxDevices;
  }

  /** A stored list's serial, and the devices it removed (empty: a re-sign). */
  public record Stored(long serial, List<Integer> removed) {}

  /** What the server holds for an account: its list (none: legacy), and its devices' ids. */
  public record Served(String username, Optional<SignedDeviceList> list, List<Device> devices) {}

  /** How many devices an account may have at once ({@code securecom.devices.max}). */
  public int maxDevices() {
    return maxDevices;
  }

  /**
   * {@code username}'s list and devices.
   *
   * @throws UnknownUserException if there is no such account
   */
  public Served of(String username) {
    keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    return new Served(username, lists.find(username), devices.devices(username));
  }

  /**
   * Stores {@code upload}, which {@code caller}'s account signed, as the account's list if it is
   * the successor of the stored one that re-signs it or removes devices.
   *
   * @throws InvalidKeySignatureException if the account's identity key did not sign it
   * @throws InvalidRequestException if it is not a well-formed list of this account and key, or was
   *     not issued within a day
   * @throws RateLimitedException over {@code securecom.devices.list-uploads-per-hour}
   * @throws ListConflictException if it cannot follow the stored list
   */
  public Stored replace(DeviceAddress caller, SignedDeviceList upload) {
    String username = caller.username();
    DeviceList list = checked(username, upload);
    long now = clock.millis();
    if (!uploads.tryTake(username)) {
      throw new RateLimitedException(uploads.waitTime(username));
    }
    DeviceList stored = storedList(username);
    if (!Succession.isSuccessor(stored, list)) {
      throw new ListConflictException(
          "deviceList is not the successor of the stored list (serial "
              + (stored == null ? 0 : stored.serial())
              + "): fetch it and build on it");
    }
    Succession.Change change = Succession.change(stored, list);
    if (change != Succession.Change.RESIGN && change != Succession.Change.REMOVAL) {
      throw new ListConflictException(
          "deviceList may only re-sign the stored list or remove devices; a device is added by"
              + " linking it");
    }
    List<Integer> gone = new ArrayList<>();
    try {
      database.atomically(
          tx -> {
            if (!lists.compareAndSet(
                tx, username, stored == null ? 0 : stored.serial(), upload, list.serial(), now)) {
              throw new ListConflictException(
                  "another device list was stored meanwhile: fetch it and build on it");
            }
            gone.addAll(devices.keepOnly(tx, username, list.deviceIds()));
          });
    } catch (PersistenceException raced) {
      DeviceList current = storedList(username);
      if (current != null && (stored == null || current.serial() != stored.serial())) {
        throw new ListConflictException(
            "another device list was stored meanwhile: fetch it and build on it");
      }
      throw raced;
    }
    sets.changed(username);
    if (!gone.isEmpty()) {
      removed.fire(new DevicesRemoved(username, list.serial(), gone));
    }
    return new Stored(list.serial(), List.copyOf(gone));
  }

  /** Housekeeping: forgets refilled upload buckets. */
  public void evictIdle() {
    uploads.evictIdle();
  }

  /**
   * {@code upload} as a list of {@code username}'s that its identity key signed, issued within a
   * day of this server's clock.
   *
   * @throws InvalidKeySignatureException if the account's identity key did not sign it
   * @throws InvalidRequestException if it is not a well-formed list of this account and key, or was
   *     not issued within a day
   */
  DeviceList checked(String username, SignedDeviceList upload) {
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    DeviceList list = verified(upload, username, identity.signingKey());
    long skew = Math.abs(list.issuedAt() - clock.millis() / 1000);
    if (skew > ISSUED_WITHIN.toSeconds()) {
      throw new InvalidRequestException(
          "deviceList.body",
          "deviceList.body: issuedAt must be within a day of the server's clock");
    }
    return list;
  }

  private static DeviceList verified(SignedDeviceList upload, String username, byte[] key) {
    try {
      return upload.verify(username, key);
    } catch (DeviceListRefusedException e) {
      if (e.reason() == Refusal.BAD_SIGNATURE) {
        throw InvalidKeySignatureException.deviceList();
      }
      throw new InvalidRequestException("deviceList.body", "deviceList.body: " + e.getMessage());
    }
  }

  /** The stored list, parsed (it verified when it was stored); null for a legacy account. */
  DeviceList storedList(String username) {
    Optional<SignedDeviceList> stored = lists.find(username);
    if (stored.isEmpty()) {
      return null;
    }
    try {
      return DeviceList.parse(stored.get().body());
    } catch (MalformedDeviceListException e) {
      throw new IllegalStateException("a stored device list does not parse", e);
    }
  }
}
