package com.securecom.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.securecom.it.support.Deployments;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.server.account.AccountService;
import com.securecom.server.account.NewAccount;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.SignedPreKey;
import com.securecom.server.persistence.Database;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.relay.MessageRepository.StoreResult;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.session.SessionService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The key registry, the message queue and sessions inside the running server, over the database it
 * is configured with (H2, or PostgreSQL in the postgres profile), through the same CDI beans the
 * endpoints use.
 */
@ExtendWith(ArquillianExtension.class)
class PersistenceIT {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Deployment
  static WebArchive deployment() {
    return Deployments.builtWar().addClass(PersistenceIT.class);
  }

  @Inject AccountService accounts;

  @Inject KeyRegistry registry;

  @Inject MessageRepository messages;

  @Inject SessionService sessions;

  @Inject Database database;

  @Inject Event<DevicesRemoved> devicesRemoved;

  /** Adds device 2 to {@code username}'s account, as linking will. */
  private void addSecondDevice(String username) {
    database.inTransaction(
        em ->
            em.createNativeQuery(
                    "INSERT INTO device (username, device_id, created_at) VALUES (?1, 2, 0)")
                .setParameter(1, username)
                .executeUpdate());
  }

  private String newUser(int oneTimePreKeys) {
    String name = "p-" + UUID.randomUUID().toString().substring(0, 12);
    Ed25519.KeyPair identity = Ed25519.generate(RANDOM);
    X25519.KeyPair prekey = X25519.generate(RANDOM);
    List<OneTimePreKey> pool = new ArrayList<>();
    for (int i = 0; i < oneTimePreKeys; i++) {
      pool.add(new OneTimePreKey(i, X25519.generate(RANDOM).publicKey()));
    }
    byte[] dhKey = X25519.generate(RANDOM).publicKey();
    IdentityKeys published =
        new IdentityKeys(
            identity.publicKey(),
            dhKey,
            Ed25519.sign(identity.privateKey(), KeySignatures.identityDhKeyMessage(dhKey)));
    accounts.register(
        new NewAccount(
            name,
            "a good long password",
            published,
            new SignedPreKey(
                1,
                prekey.publicKey(),
                1_700_000_000L,
                Ed25519.sign(
                    identity.privateKey(),
                    KeySignatures.signedPreKeyMessage(1, 1_700_000_000L, prekey.publicKey()))),
            pool),
        "in-container-" + name);
    return name;
  }

  @Test
  void oneTimePreKeys_underConcurrentFetches_areEachHandedOutOnce() throws Exception {
    String user = newUser(60);
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Callable<Long>> fetches = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        fetches.add(
            () ->
                registry
                    .bundleFor(DeviceAddress.first(user))
                    .oneTimePreKey()
                    .map(OneTimePreKey::keyId)
                    .orElse(-1L));
      }
      Set<Long> handedOut = new HashSet<>();
      int empty = 0;
      for (Future<Long> f : pool.invokeAll(fetches)) {
        long id = f.get();
        if (id < 0) {
          empty++;
        } else {
          assertTrue(handedOut.add(id), "key " + id + " handed out twice");
        }
      }
      assertEquals(60, handedOut.size());
      assertEquals(20, empty);
      assertEquals(0, registry.oneTimePreKeyCount(DeviceAddress.first(user)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void queue_storesInOrder_refusesDuplicates_andForgetsAfterReceipt() {
    String alice = newUser(0);
    String bob = newUser(0);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      assertEquals(
          StoreResult.STORED,
          messages.store(
              new StoredMessage(0, alice, "m" + i, bob, new byte[] {(byte) i}, now, now + 60_000),
              100));
    }
    assertEquals(
        StoreResult.DUPLICATE,
        messages.store(
            new StoredMessage(0, alice, "m0", bob, new byte[] {0}, now, now + 60_000), 100));
    assertEquals(
        StoreResult.ID_REUSED,
        messages.store(
            new StoredMessage(0, alice, "m0", bob, new byte[] {9}, now, now + 60_000), 100));
    assertEquals(
        StoreResult.QUEUE_FULL,
        messages.store(
            new StoredMessage(0, alice, "m9", bob, new byte[] {9}, now, now + 60_000), 5));

    List<StoredMessage> pending = messages.pending(DeviceAddress.first(bob), 0, 100);
    assertEquals(
        List.of("m0", "m1", "m2", "m3", "m4"), pending.stream().map(StoredMessage::id).toList());
    assertArrayEquals(new byte[] {3}, pending.get(3).envelope());
    assertEquals(
        List.of("m3", "m4"),
        messages.pending(DeviceAddress.first(bob), pending.get(2).seq(), 100).stream()
            .map(StoredMessage::id)
            .toList());

    assertFalse(
        messages.acknowledge(DeviceAddress.first(alice), DeviceAddress.first(alice), "m0", now),
        "only the recipient can acknowledge");
    assertTrue(
        messages.acknowledge(DeviceAddress.first(bob), DeviceAddress.first(alice), "m0", now));
    assertFalse(
        messages.acknowledge(DeviceAddress.first(bob), DeviceAddress.first(alice), "m0", now),
        "an acknowledgement counts once");
    assertNull(
        database.inTransaction(
            em ->
                em.createNativeQuery(
                        "SELECT envelope FROM relay_message WHERE sender = ?1 AND message_id = 'm0'")
                    .setParameter(1, alice)
                    .getSingleResult()),
        "the envelope is deleted on acknowledgement");
    assertEquals(
        List.of(new Receipt("m0", bob, 1)), messages.receipts(DeviceAddress.first(alice), 10));
    assertTrue(messages.forgetReceipt(DeviceAddress.first(alice), "m0"));
    assertEquals(List.of(), messages.receipts(DeviceAddress.first(alice), 10));
    assertEquals(4, messages.pending(DeviceAddress.first(bob), 0, 100).size());
  }

  /**
   * A device list that removes a device fires {@link DevicesRemoved}; the relay, observing it in
   * the running server, deletes what was queued for the removed device and the receipts owed to it,
   * and nothing of the account's other device.
   */
  @Test
  void aRemovedDevicesQueue_isDeleted_whenItsRemovalIsAnnounced() {
    String alice = newUser(0);
    String bob = newUser(0);
    DeviceAddress bob2 = new DeviceAddress(bob, 2);
    addSecondDevice(bob);
    long now = System.currentTimeMillis();
    DeviceAddress from = DeviceAddress.first(alice);
    messages.store(
        new StoredMessage(from, "to-2", bob2, new byte[] {1}, now, now + 60_000, null), 100);
    messages.store(
        new StoredMessage(
            from, "to-1", DeviceAddress.first(bob), new byte[] {1}, now, now + 60_000, null),
        100);
    messages.store(
        new StoredMessage(bob2, "from-2", from, new byte[] {1}, now, now + 60_000, null), 100);
    messages.acknowledge(from, bob2, "from-2", now);

    devicesRemoved.fire(new DevicesRemoved(bob, 2, List.of(2)));

    assertEquals(List.of(), messages.pending(bob2, 0, 10));
    assertEquals(List.of(), messages.receipts(bob2, 10));
    assertEquals(
        List.of("to-1"),
        messages.pending(DeviceAddress.first(bob), 0, 10).stream().map(StoredMessage::id).toList());
  }

  /**
   * A send to several devices (relay message version 4) on the server's database: stored in each
   * device's queue, a retry is a duplicate, other copies under its id are refused, and a send one
   * of whose devices is full stores nothing.
   */
  @Test
  void aSendToSeveralDevices_isStoredAllOrNothing() {
    String alice = newUser(0);
    String bob = newUser(0);
    DeviceAddress bob1 = DeviceAddress.first(bob);
    DeviceAddress bob2 = new DeviceAddress(bob, 2);
    addSecondDevice(bob);
    long now = System.currentTimeMillis();
    DeviceAddress from = DeviceAddress.first(alice);
    java.util.function.Function<String, List<StoredMessage>> copies =
        id ->
            List.of(
                new StoredMessage(from, id, bob1, new byte[] {1}, now, now + 60_000, null),
                new StoredMessage(from, id, bob2, new byte[] {2}, now, now + 60_000, null));

    assertEquals(
        List.of(
            MessageRepository.Outcome.STORED,
            MessageRepository.Outcome.DUPLICATE,
            MessageRepository.Outcome.ID_REUSED),
        messages.writeAll(
            List.of(
                new RelayWrite.StoreSend(copies.apply("both")),
                new RelayWrite.StoreSend(copies.apply("both")),
                new RelayWrite.StoreSend(copies.apply("both").subList(0, 1))),
            100));
    assertEquals(
        List.of(MessageRepository.Outcome.QUEUE_FULL),
        messages.writeAll(List.of(new RelayWrite.StoreSend(copies.apply("full"))), 1));
    assertEquals(
        List.of("both"), messages.pending(bob1, 0, 10).stream().map(StoredMessage::id).toList());
    assertEquals(
        List.of("both"), messages.pending(bob2, 0, 10).stream().map(StoredMessage::id).toList());
  }

  @Test
  void expiredMessages_arePurged() {
    String alice = newUser(0);
    String bob = newUser(0);
    long now = System.currentTimeMillis();
    messages.store(
        new StoredMessage(0, alice, "old", bob, new byte[] {1}, now - 10_000, now - 1), 100);
    messages.store(new StoredMessage(0, alice, "new", bob, new byte[] {1}, now, now + 60_000), 100);
    assertTrue(messages.purgeExpired(now) >= 1);
    assertEquals(
        List.of("new"),
        messages.pending(DeviceAddress.first(bob), 0, 10).stream().map(StoredMessage::id).toList());
  }

  @Test
  void expiredSessionToken_doesNotAuthenticate() {
    String user = newUser(0);
    var login = sessions.login(user, "a good long password", "in-container-expiry");
    assertTrue(sessions.authenticate(login.token()).isPresent());
    database.execute(
        em ->
            em.createNativeQuery("UPDATE session_token SET expires_at = 0 WHERE username = ?1")
                .setParameter(1, user)
                .executeUpdate());
    assertFalse(sessions.authenticate(login.token()).isPresent());
  }

  /**
   * Schema versions 3 and 7: the queue's sequence is cached on H2 (a store commit per 32 messages
   * was a fifth of the writer's time) and left uncached on PostgreSQL, where a per-session cache
   * would hand out values out of insert order across pooled connections.
   */
  @Test
  void schemaVersions3And7_cacheTheQueueSequenceOnH2_only() {
    String cache =
        database.inTransaction(
            em -> {
              String product;
              try {
                product = em.unwrap(Connection.class).getMetaData().getDatabaseProductName();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              String query =
                  product.equals("H2")
                      ? "SELECT identity_cache FROM information_schema.columns"
                          + " WHERE table_name = 'relay_message' AND column_name = 'seq'"
                      : "SELECT seqcache FROM pg_sequence"
                          + " WHERE seqrelid = pg_get_serial_sequence('relay_message', 'seq')::regclass";
              return product + " " + em.createNativeQuery(query).getSingleResult();
            });
    assertTrue(cache.equals("H2 10000") || cache.equals("PostgreSQL 1"), cache);
  }
}
