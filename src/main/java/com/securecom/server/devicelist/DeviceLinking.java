package com.securecom.server.devicelist;

import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.Succession;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceLinked;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.SignedPreKey;
import com.securecom.server.persistence.Database;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.session.BearerToken;
import com.securecom.server.session.LoginResult;
import com.securecom.server.session.SessionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Linking a new device (docs/design/linked-devices.md, "Linking"): an existing device asks for a
 * one-use ticket, and the new device registers itself with that ticket, the account's new list
 * (signed by the account's identity key, adding exactly the new device), and its keys.
 *
 * <p>Guarantees: a device is added only with a list the account's identity key signed that is the
 * successor of the stored one and adds exactly that device (so the server cannot add one of its
 * own, and two racing links cannot both succeed); the ticket, the list, the device, its keys and
 * its first session are committed together or not at all, and a ticket serves once. Checks before
 * the ticket is known to be the account's cost no per-account budget, so nobody can exhaust another
 * account's linking budget; the per-address limit comes before any database work.
 */
@ApplicationScoped
public class DeviceLinking {
  /** At most this many unused, unexpired tickets per account. */
  static final int MAX_VALID_TICKETS = 3;

  private DeviceLists lists;
  private DeviceListRepository listStore;
  private TicketRepository tickets;
  private DeviceRepository devices;
  private KeyRegistry keys;
  private SessionService sessions;
  private DeviceSets sets;
  private Database database;
  private Event<DeviceLinked> linked;
  private SecureRandom random;
  private Clock clock;
  private Duration ticketTtl;
  private KeyedRateLimiter ticketsPerDay;
  private KeyedRateLimiter registrationsPerDay;
  private KeyedRateLimiter registrationsPerAddress;

  protected DeviceLinking() {}

  /** The settings of linking, from MicroProfile Config; defaults in the README. */
  public record Limits(
      Duration ticketTtl,
      int ticketsPerDay,
      int registrationsPerDay,
      int registrationsPerAddressPerHour) {}

  @Inject
  public DeviceLinking(
      DeviceLists lists,
      DeviceListRepository listStore,
      TicketRepository tickets,
      DeviceRepository devices,
      KeyRegistry keys,
      SessionService sessions,
      DeviceSets sets,
      Database database,
      Event<DeviceLinked> linked,
      SecureRandom random,
      Clock clock,
      @ConfigProperty(name = "securecom.devices.ticket-ttl", defaultValue = "PT10M")
          Duration ticketTtl,
      @ConfigProperty(name = "securecom.devices.tickets-per-day", defaultValue = "10")
          int ticketsPerDay,
      @ConfigProperty(name = "securecom.devices.registrations-per-day", defaultValue = "10")
          int registrationsPerDay,
      @ConfigProperty(
              name = "securecom.devices.registrations-per-address-per-hour",
              defaultValue = "30")
          int registrationsPerAddressPerHour) {
    this(
        lists,
        listStore,
        tickets,
        devices,
        keys,
        sessions,
        sets,
        database,
        linked,
        random,
        clock,
        new Limits(ticketTtl, ticketsPerDay, registrationsPerDay, registrationsPerAddressPerHour));
  }

  public DeviceLinking(
      DeviceLists lists,
      DeviceListRepository listStore,
      TicketRepository tickets,
      DeviceRepository devices,
      KeyRegistry keys,
      SessionService sessions,
      DeviceSets sets,
      Database database,
      Event<DeviceLinked> linked,
      SecureRandom random,
      Clock clock,
      Limits limits) {
    if (limits.ticketTtl().isNegative() || limits.ticketTtl().isZero()) {
      throw new IllegalArgumentException("securecom.devices.ticket-ttl must be positive");
    }
    this.lists = lists;
    this.listStore = listStore;
    this.tickets = tickets;
    this.devices = devices;
    this.keys = keys;
    this.sessions = sessions;
    this.sets = sets;
    this.database = database;
    this.linked = linked;
    this.random = random;
    this.clock = clock;
    this.ticketTtl = limits.ticketTtl();
    this.ticketsPerDay = new KeyedRateLimiter(limits.ticketsPerDay(), Duration.ofDays(1), clock);
    this.registrationsPerDay =
        new KeyedRateLimiter(limits.registrationsPerDay(), Duration.ofDays(1), clock);
    this.registrationsPerAddress =
        new KeyedRateLimiter(limits.registrationsPerAddressPerHour(), Duration.ofHours(1), clock);
  }

  /** A ticket's text (shown once, never stored) and when it expires (milliseconds). */
  public record Ticket(String ticket, long expiresAt) {
    @Override
    public String toString() {
      return "Ticket[ticket=[REDACTED], expiresAt=" + expiresAt + "]";
    }
  }

  /** What a new device sends to register itself ({@code POST /api/devices}). */
  public record NewDevice(
      String username,
      String ticket,
      SignedDeviceList deviceList,
      SignedPreKey signedPreKey,
      List<OneTimePreKey> oneTimePreKeys,
      String name) {
    @Override
    public String toString() {
      return "NewDevice[username=" + username + ", ticket=[REDACTED]]";
    }
  }

  /** The linked device's id, and its first session. */
  public record Linked(int deviceId, LoginResult session) {}

  /**
   * A new ticket for {@code caller}'s account.
   *
   * @throws RateLimitedException over {@code securecom.devices.tickets-per-day}, or while the
   *     account holds {@value #MAX_VALID_TICKETS} valid tickets
   */
  public Ticket ticket(DeviceAddress caller) {
    String username = caller.username();
    if (!ticketsPerDay.tryTake(username)) {
      throw new RateLimitedException(ticketsPerDay.waitTime(username));
    }
    long now = clock.millis();
    if (tickets.countValid(username, now) >= MAX_VALID_TICKETS) {
      throw new RateLimitedException(ticketTtl);
    }
    String ticket = BearerToken.generate(random);
    long expiresAt = now + ticketTtl.toMillis();
    tickets.add(BearerToken.hash(ticket), username, now, expiresAt);
    return new Ticket(ticket, expiresAt);
  }

  /**
   * Registers the device that {@code request} describes, in this order: the per-address limit; the
   * ticket (well-formed, and a valid one of the named account: else {@link
   * InvalidTicketException}); the account's limit; the list (signed by the account's identity key,
   * well-formed, issued within a day; the successor of the stored list adding exactly one device,
   * its {@code lastDeviceId}; at most {@code securecom.devices.max} entries); the device's keys (a
   * version 3 signed prekey for the new device); then one transaction that uses the ticket, stores
   * the list, adds the device with its keys and opens its first session. Fires {@link DeviceLinked}
   * after the commit.
   *
   * @throws InvalidTicketException if the ticket is not (or no longer) a valid one of the account
   * @throws RateLimitedException over the per-address or per-account limit
   * @throws ListConflictException if the list does not add exactly one device to the stored list
   * @throws TooManyDevicesException over {@code securecom.devices.max}
   */
  public Linked register(NewDevice request, String clientAddress) {
    if (!registrationsPerAddress.tryTake(clientAddress)) {
      throw new RateLimitedException(registrationsPerAddress.waitTime(clientAddress));
    }
    String username = request.username();
    if (!BearerToken.isWellFormed(request.ticket())) {
      throw new InvalidTicketException();
    }
    byte[] ticket = BearerToken.hash(request.ticket());
    long now = clock.millis();
    if (!tickets.isValid(ticket, username, now)) {
      throw new InvalidTicketException();
    }
    if (!registrationsPerDay.tryTake(username)) {
      throw new RateLimitedException(registrationsPerDay.waitTime(username));
    }
    DeviceList list = lists.checked(username, request.deviceList());
    DeviceList stored = lists.storedList(username);
    if (!Succession.isSuccessor(stored, list)
        || Succession.change(stored, list) != Succession.Change.LINK) {
      throw new ListConflictException(
          "deviceList must be the successor of the stored list (serial "
              + (stored == null ? 0 : stored.serial())
              + ") that adds exactly one device, its lastDeviceId: fetch it and build on it");
    }
    if (list.entries().size() > lists.maxDevices()) {
      throw new TooManyDevicesException(lists.maxDevices());
    }
    DeviceAddress device = new DeviceAddress(username, list.lastDeviceId());
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(InvalidTicketException::new);
    keys.checkDeviceKeys(
        identity.signingKey(), device, request.signedPreKey(), request.oneTimePreKeys());
    long storedSerial = stored == null ? 0 : stored.serial();
    LoginResult[] session = new LoginResult[1];
    try {
      database.atomically(
          tx -> {
            if (!tickets.use(tx, ticket, username, now)) {
              throw new InvalidTicketException();
            }
            if (!listStore.compareAndSet(
                tx, username, storedSerial, request.deviceList(), list.serial(), now)) {
              throw new ListConflictException(
                  "another device list was stored meanwhile: fetch it and build on it");
            }
            if (!devices.add(tx, device, now, request.name())) {
              throw new ListConflictException("the device id is taken: fetch the list again");
            }
            keys.publishDevice(
                tx,
                identity.signingKey(),
                device,
                request.signedPreKey(),
                request.oneTimePreKeys());
            session[0] = sessions.issue(tx, device);
          });
    } catch (PersistenceException raced) {
      DeviceList current = lists.storedList(username);
      if (current != null && current.serial() != storedSerial) {
        throw new ListConflictException(
            "another device list was stored meanwhile: fetch it and build on it");
      }
      throw raced;
    }
    sets.changed(username);
    linked.fire(new DeviceLinked(username, list.serial(), device.deviceId()));
    return new Linked(device.deviceId(), session[0]);
  }

  /** Housekeeping: deletes expired tickets and forgets refilled buckets; returns how many. */
  public int purgeExpired() {
    ticketsPerDay.evictIdle();
    registrationsPerDay.evictIdle();
    registrationsPerAddress.evictIdle();
    return tickets.deleteExpired(clock.millis());
  }
}
