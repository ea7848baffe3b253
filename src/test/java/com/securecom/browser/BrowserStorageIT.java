package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.browser.support.ProfileDatabase;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.testkit.TcpProxy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the browser client keeps in IndexedDB: after real chats, a raw dump of the profile holds no
 * message text, no bearer token, no ratchet key and no identity private key, only the clear fields
 * IndexedDB needs and sealed blobs; a sealed value moved to another record or store does not open;
 * a plaintext profile of version 1 is sealed on the next open; a profile of version 2 has its
 * sessions and handled ids moved to the per-device stores of version 3 as device 1, resumably; a
 * profile of version 3 gains the empty groups store of version 4 and keeps every record; a new
 * account's identity keys are kept as bytes for linking, an old account's are not.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserStorageIT {
  private static final String PASSWORD = "correct horse battery staple";

  /**
   * The fields each store keeps in clear (store.js CLEAR_FIELDS); besides them only the sealed
   * form.
   */
  private static final Map<String, Set<String>> CLEAR =
      Map.ofEntries(
          Map.entry("meta", Set.of("key")),
          Map.entry("accounts", Set.of("username")),
          Map.entry("oneTimePreKeys", Set.of("owner", "keyId")),
          Map.entry("contacts", Set.of("owner", "peer")),
          Map.entry("sessions", Set.of("owner", "peer")),
          Map.entry("messages", Set.of("owner", "key", "peer", "at")),
          Map.entry("outbox", Set.of("owner", "id", "at")),
          Map.entry("seen", Set.of("owner", "from", "id")),
          Map.entry("deviceSessions", Set.of("owner", "peer", "device")),
          Map.entry("seenV3", Set.of("owner", "from", "device", "id")),
          Map.entry("groups", Set.of("owner", "id")));

  /**
   * Version 2's stores, empty since version 3 moved their records to the per-device stores, and the
   * groups store, empty for an account in no group.
   */
  private static final Set<String> OLD_STORES = Set.of("sessions", "seen", "groups");

  private static final Set<String> SEALED_FORM = Set.of("sealed", "cryptoKeys");

  @RegisterExtension static final Browsers browsers = new Browsers();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String marker(String what) {
    return "MARKER-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private URL url(String path) throws Exception {
    return new URL(base, path);
  }

  @Test
  void afterAChat_aRawDumpOfIndexedDb_holdsNoText_noToken_andNoRatchetKey_whileHistoryStillShows()
      throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    String toBob = marker("to-bob");
    String toAlice = marker("to-alice");
    String queued = marker("queued");
    try (TcpProxy proxy = TcpProxy.to(base.getPort())) {
      URL viaProxy =
          new URI("http", null, "localhost", proxy.port(), base.getPath(), null, null).toURL();
      ChatPage a = browsers.open("alice", viaProxy);
      ProfileDatabase.recordTokens(a);
      a.load().register(alice, PASSWORD).waitConnected();
      ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
      ProfileDatabase aliceDb = new ProfileDatabase(a, viaProxy);
      ProfileDatabase bobDb = new ProfileDatabase(b, base);

      a.startConversation(bob).send(toBob);
      b.openConversation(alice).waitIncoming(toBob);
      b.send(toAlice);
      a.waitIncoming(toAlice);
      a.waitState(toBob, "delivered");
      b.waitState(toAlice, "delivered");
      List<String> tokens = new ArrayList<>(aliceDb.tokensSeen());

      a.load().waitConnected().openConversation(bob).waitIncoming(toAlice);
      assertThat(a.bodies()).containsExactly(toBob, toAlice);
      assertThat(a.contactText(bob)).contains(toAlice);
      tokens.addAll(aliceDb.tokensSeen());
      assertThat(tokens).as("tokens the page used").isNotEmpty();
      JsonObject secrets = aliceDb.sessionSecrets(alice);
      assertThat(secrets.getJsonArray("rootKeys")).as("alice's root keys").isNotEmpty();

      proxy.cut(); // a message waits in the outbox
      a.waitUntil("offline", () -> "offline".equals(a.connectionStatus()));
      a.send(queued);

      JsonObject dump = aliceDb.dump();
      assertOnlySealed(
          dump,
          List.of(toBob, toAlice, queued),
          tokens,
          strings(secrets.getJsonArray("byteStrings")));
      Map<String, Integer> counts = counts(dump);
      assertThat(counts)
          .as("alice's records")
          .containsEntry("accounts", 1)
          .containsEntry("contacts", 1)
          .containsEntry("deviceSessions", 1)
          .containsEntry("keyring", 1)
          .containsEntry("sessions", 0) // version 2's stores, kept empty
          .containsEntry("seen", 0);
      counts.forEach(
          (store, n) -> {
            if (!OLD_STORES.contains(store)) {
              assertThat(n).as("alice's " + store).isPositive();
            }
          });
      assertThat(counts.get("messages")).isGreaterThanOrEqualTo(3);

      JsonObject bobSecrets = bobDb.sessionSecrets(bob);
      assertOnlySealed(
          bobDb.dump(),
          List.of(toBob, toAlice),
          List.of(),
          strings(bobSecrets.getJsonArray("byteStrings")));

      proxy.restore();
      a.waitState(queued, "delivered");
      b.waitIncoming(queued);
    }
  }

  @Test
  void aSealedValueMovedToAnotherRecordOrStore_doesNotOpen_andThePageSaysSo() throws Exception {
    String alice = name("alice");
    TestUser bob = TestUser.named("bob");
    new Api(base).register(bob, 5);
    String first = marker("first");
    String second = marker("second");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    a.startConversation(bob.username).send(first).send(second);
    a.waitState(second, "sent");
    ProfileDatabase db = new ProfileDatabase(a, base);

    List<JsonObject> messages = records(db.dump(), "messages");
    assertThat(messages).hasSize(2);
    List<String> firstKey = List.of(alice, keyOf(db, messages, first));
    List<String> secondKey = List.of(alice, keyOf(db, messages, second));

    db.copySealed("messages", firstKey, "messages", secondKey);
    assertThat(error(db.read("messages", secondKey)))
        .isEqualTo(
            "StoredDataDamaged: Data stored in this browser"
                + " could not be decrypted: it was changed or damaged outside SecureCom. Nothing was written.");
    assertThat(db.read("messages", firstKey).getJsonObject("ok").getString("body"))
        .isEqualTo(first);
    assertThat(error(db.conversation(alice, bob.username))).startsWith("StoredDataDamaged");

    List<String> pair = List.of(alice, bob.username);
    List<Object> session = List.of(alice, bob.username, 1);
    db.copySealed("deviceSessions", session, "contacts", pair); // a session's value on its contact
    assertThat(error(db.read("contacts", pair))).startsWith("StoredDataDamaged");
    a.driver.get(base.toString());
    a.waitUntil(
        "the page says it cannot read its data",
        () -> loadingText(a).contains("could not be decrypted"));
    assertThat(loadingText(a))
        .startsWith(
            "SecureCom could not start: Data stored in this browser could not be" + " decrypted");
    assertThat(db.raw("contacts", pair).asJsonObject().get("sealed"))
        .as("the damaged record is left as it was")
        .isEqualTo(db.raw("deviceSessions", session).asJsonObject().get("sealed"));
  }

  @Test
  void aPlaintextProfileOfVersion1_isSealedWhenThePageOpensIt_andTheChatGoesOn() throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    String toBob = marker("to-bob");
    String toAlice = marker("to-alice");
    ChatPage a = browsers.open("alice", base);
    ProfileDatabase.recordTokens(a);
    a.load().register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    ProfileDatabase db = new ProfileDatabase(a, base);
    a.startConversation(bob).send(toBob);
    b.openConversation(alice).waitIncoming(toBob);
    b.send(toAlice);
    a.waitIncoming(toAlice);
    a.waitState(toBob, "delivered");
    List<String> tokens = db.tokensSeen();
    assertThat(tokens).isNotEmpty();

    a.driver.get(
        url("api/server-key")
            .toString()); // same origin, without the app (its connection would block)
    JsonObject counts = db.rewriteAsVersion1();
    assertThat(counts.getInt("messages")).isEqualTo(2);
    JsonObject plaintext = db.dump();
    assertThat(plaintext.getInt("version")).isEqualTo(1);
    assertThat(plaintext.toString())
        .as("the version 1 profile is plaintext")
        .contains(toBob, toAlice);

    a.load().waitConnected().openConversation(bob).waitIncoming(toAlice);
    assertThat(a.bodies()).containsExactly(toBob, toAlice);
    JsonObject sealed = db.dump();
    assertThat(sealed.getInt("version")).isEqualTo(4);
    assertOnlySealed(
        sealed,
        List.of(toBob, toAlice),
        tokens,
        strings(db.sessionSecrets(alice).getJsonArray("byteStrings")));
    assertThat(counts(sealed).get("messages")).isEqualTo(counts.getInt("messages"));
    assertThat(records(sealed, "keyring").get(0).getBoolean("plaintextLeft")).isFalse();

    String after = marker("after");
    String reply = marker("reply");
    b.send(after);
    a.waitIncoming(after);
    a.send(reply);
    b.waitIncoming(reply);

    db.markPlaintextLeft(); // the pass runs again over sealed records: it leaves them as they are
    a.load().waitConnected().openConversation(bob).waitIncoming(after);
    assertThat(a.bodies()).containsExactly(toBob, toAlice, after, reply);
    assertOnlySealed(db.dump(), List.of(toBob, toAlice, after, reply), tokens, List.of());
  }

  @Test
  void aSealedRecord_roundTripsEveryStoredType_andRejectsEveryFlippedBitAndEveryChangedField()
      throws Exception {
    ChatPage page = browsers.open("unit", url("api/server-key"));
    JsonObject result =
        new ProfileDatabase(page, base)
            .ok(
                """
        const { SealedRecords, StoredDataDamaged, newStorageKey } = await app('js/app/sealed-records.js');
        const { CLEAR_FIELDS } = await app('js/app/store.js');
        const records = new SealedRecords(await newStorageKey(), CLEAR_FIELDS);
        const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
        const value = { owner: 'alice', peer: 'bob', record: { version: 1, zero: -0, nan: NaN, big: 2n ** 70n,
          none: undefined, nil: null, bytes: new Uint8Array([0, 255, 7]), list: [1, 'two', true, { x: 'ü👋' }],
          skipped: new Map([['k:1', new Uint8Array(32).fill(9)]]), ratchet: { privateKey: pair.privateKey } } };
        const stored = await records.seal('sessions', value);
        const back = await records.open('sessions', stored);
        const roundTrip = plain(back) === plain(value) && Object.is(back.record.zero, -0)
          && Number.isNaN(back.record.nan) && back.record.big === 2n ** 70n && 'none' in back.record
          && back.record.skipped instanceof Map && back.record.ratchet.privateKey === pair.privateKey;
        const rejected = (s, store = 'sessions') => records.open(store, s)
          .then(() => false, (e) => e instanceof StoredDataDamaged);
        let bits = 0;
        let bitsRejected = 0;
        for (let i = 0; i < stored.sealed.length * 8; i++) {
          const sealed = new Uint8Array(stored.sealed);
          sealed[i >> 3] ^= 1 << (i & 7);
          bits++;
          bitsRejected += await rejected({ ...stored, sealed }) ? 1 : 0;
        }
        const other = await records.seal('sessions', { ...value, peer: 'carol' });
        const refused = (v) => {
          try {
            records.seal('sessions', { owner: 'alice', peer: 'bob', v });
            return false;
          } catch (e) {
            return e instanceof TypeError;
          }
        };
        const extractable = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
        return {
          roundTrip, bits, bitsRejected,
          freshIv: plain((await records.seal('sessions', value)).sealed.subarray(1, 13))
            !== plain(stored.sealed.subarray(1, 13)),
          clearFieldsOnly: plain(Object.keys(stored).sort()) === plain(['cryptoKeys', 'owner', 'peer', 'sealed']),
          rejects: {
            otherOwner: await rejected({ ...stored, owner: 'mallory' }),
            otherPeer: await rejected({ ...stored, peer: 'carol' }),
            otherStore: await rejected(stored, 'contacts'),
            movedToAnotherRecord: await rejected({ ...other, sealed: stored.sealed }),
            extraClearField: await rejected({ ...stored, body: 'injected' }),
            keyTakenAway: await rejected({ ...stored, cryptoKeys: [] }),
            keyAdded: await rejected({ ...stored, cryptoKeys: [pair.privateKey, pair.privateKey] }),
            otherKindOfKey: await rejected({ ...stored, cryptoKeys: [extractable] }),
            truncated: await rejected({ ...stored, sealed: stored.sealed.subarray(0, stored.sealed.length - 1) }),
            plaintext: await rejected(value),
          },
          refuses: {
            date: refused(new Date()),
            otherTypedArray: refused(new Uint16Array(1)),
            extractableKey: refused(extractable),
            cycle: refused((() => { const o = {}; o.o = o; return o; })()),
          },
        };
        """)
            .asJsonObject();
    assertThat(result.getBoolean("roundTrip")).isTrue();
    assertThat(result.getInt("bits")).isGreaterThan(400);
    assertThat(result.getInt("bitsRejected")).isEqualTo(result.getInt("bits"));
    assertThat(result.getBoolean("freshIv")).isTrue();
    assertThat(result.getBoolean("clearFieldsOnly")).isTrue();
    assertThat(result.getJsonObject("rejects"))
        .allSatisfy((what, rejected) -> assertThat(rejected).as(what).isEqualTo(JsonValue.TRUE));
    assertThat(result.getJsonObject("refuses"))
        .allSatisfy((what, refused) -> assertThat(refused).as(what).isEqualTo(JsonValue.TRUE));
  }

  @Test
  void
      aVersion2Profile_opensAsVersion3_withSessionsAndSeenUnderDevice1_andTheOldAccountStillLogsIn()
          throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    String toBob = marker("to-bob");
    String toAlice = marker("to-alice");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    ProfileDatabase db = new ProfileDatabase(a, base);
    a.startConversation(bob).send(toBob);
    b.openConversation(alice).waitIncoming(toBob);
    b.send(toAlice);
    a.waitIncoming(toAlice);
    a.waitState(toBob, "delivered");

    a.driver.get(url("api/server-key").toString()); // without the app (its connection would block)
    JsonObject before = db.deviceRecords();
    assertThat(records(before, "deviceSessions")).hasSize(1);
    int seenBefore = records(before, "seenV3").size();
    assertThat(seenBefore).as("ids alice handled").isPositive();
    int extra = 450; // more than one batch of the copy
    JsonObject counts = db.rewriteAsVersion2(alice, extra, true);
    assertThat(counts.getInt("sessions")).isEqualTo(1 + extra);
    assertThat(counts.getInt("seen")).isEqualTo(seenBefore + extra);
    JsonObject old = db.dump();
    assertThat(old.getInt("version")).isEqualTo(2);
    assertThat(old.getJsonObject("stores").keySet()).doesNotContain("deviceSessions", "seenV3");
    List<JsonObject> oldSessions = throughApp(db, "sessions", 2);
    List<JsonObject> oldSeen = throughApp(db, "seen", 2);
    assertThat(oldSessions).hasSize(1 + extra);

    JsonObject after = db.deviceRecords(); // opens it: the copy runs
    JsonObject migrated = db.dump();
    assertThat(migrated.getInt("version")).isEqualTo(4);
    assertThat(counts(migrated))
        .containsEntry("sessions", 0)
        .containsEntry("seen", 0)
        .containsEntry("deviceSessions", 1 + extra)
        .containsEntry("seenV3", seenBefore + extra);
    assertThat(records(migrated, "keyring").get(0).getBoolean("devicesLeft")).isFalse();
    assertThat(Set.copyOf(records(after, "deviceSessions")))
        .as("the same sessions, as device 1")
        .isEqualTo(asDevice1(oldSessions));
    assertThat(Set.copyOf(records(after, "seenV3")))
        .as("the same handled ids, as device 1")
        .isEqualTo(asDevice1(oldSeen));
    assertOnlySealed(
        migrated,
        List.of(toBob, toAlice),
        List.of(),
        strings(db.sessionSecrets(alice).getJsonArray("byteStrings")));

    JsonObject identity = identityOf(db, alice);
    assertThat(identity.getBoolean("canLink")).as("an account made before").isFalse();
    assertThat(identity.getString("export")).startsWith("IdentityNotExportable");

    a.load().waitConnected().openConversation(bob).waitIncoming(toAlice);
    assertThat(a.bodies()).containsExactly(toBob, toAlice);
    a.logout();
    a.login(alice, PASSWORD).waitConnected().openConversation(bob);
    String again = marker("again");
    String reply = marker("reply");
    a.send(again);
    b.waitIncoming(again);
    b.send(reply);
    a.waitIncoming(reply);
    a.waitState(again, "delivered");
    assertThat(a.bodies()).containsExactly(toBob, toAlice, again, reply);
    a.driver.get(url("api/server-key").toString());
    JsonObject later = db.dump();
    assertThat(counts(later))
        .as("the chat went on in the new stores")
        .containsEntry("sessions", 0)
        .containsEntry("seen", 0)
        .containsEntry("deviceSessions", 1 + extra)
        .hasEntrySatisfying("seenV3", n -> assertThat(n).isGreaterThan(seenBefore + extra));
  }

  @Test
  void aVersion3Profile_opensAsVersion4_withAnEmptyGroupsStore_andEveryRecordKept()
      throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    String toBob = marker("to-bob");
    String toAlice = marker("to-alice");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    ProfileDatabase db = new ProfileDatabase(a, base);
    a.startConversation(bob).send(toBob);
    b.openConversation(alice).waitIncoming(toBob);
    b.send(toAlice);
    a.waitIncoming(toAlice);

    a.driver.get(url("api/server-key").toString()); // without the app (its connection would block)
    JsonObject before = db.dump();
    JsonObject counts = db.rewriteAsVersion3();
    JsonObject old = db.dump();
    assertThat(old.getInt("version")).isEqualTo(3);
    assertThat(old.getJsonObject("stores").keySet()).doesNotContain("groups");
    assertThat(counts.getInt("messages")).isPositive();

    db.deviceRecords(); // opens it through the app: the upgrade runs
    JsonObject after = db.dump();
    assertThat(after.getInt("version")).isEqualTo(4);
    assertThat(counts(after)).containsEntry("groups", 0);
    before
        .getJsonObject("stores")
        .forEach(
            (store, records) ->
                assertThat(after.getJsonObject("stores").get(store))
                    .as("the raw records of " + store)
                    .isEqualTo(records));

    a.load().waitConnected().openConversation(bob).waitIncoming(toAlice);
    assertThat(a.bodies()).containsExactly(toBob, toAlice);
  }

  @Test
  void aCopyToTheDeviceStoresInterruptedHalfWay_completesOnTheNextOpen_withoutDuplicatesOrLoss()
      throws Exception {
    ChatPage page = browsers.open("unit", url("api/server-key"));
    ProfileDatabase db = new ProfileDatabase(page, base);
    db.deviceRecords(); // a new, empty profile of version 3
    int extra = 500;
    db.rewriteAsVersion2("alice", extra, false);
    List<JsonObject> sessions = throughApp(db, "sessions", 2);
    List<JsonObject> seen = throughApp(db, "seen", 2);
    JsonObject whole = db.deviceRecords();
    assertThat(Set.copyOf(records(whole, "deviceSessions"))).isEqualTo(asDevice1(sessions));

    for (int round = 0; round < 2; round++) {
      JsonObject back = db.interruptDeviceMigration();
      assertThat(back.getInt("sessions")).isEqualTo(extra / 2);
      assertThat(back.getInt("seen")).isEqualTo(extra / 2);
      JsonObject half = db.dump();
      assertThat(counts(half))
          .containsEntry("sessions", extra / 2)
          .containsEntry("deviceSessions", extra / 2)
          .containsEntry("seen", extra / 2)
          .containsEntry("seenV3", extra / 2);
      assertThat(records(half, "keyring").get(0).getBoolean("devicesLeft")).isTrue();

      JsonObject done =
          round == 0
              ? db.deviceRecords()
              : db.ok(
                      """
                  const { Store } = await app('js/app/store.js');
                  const both = await Promise.all([Store.open(), Store.open()]); // two tabs at once
                  both.forEach((s) => s.db.close());
                  return withStore(async (s) => ({ stores: {
                    deviceSessions: await s.getAll('deviceSessions'),
                    seenV3: await s.getAll('seenV3'),
                  } }));
                  """)
                  .asJsonObject();
      assertThat(records(done, "deviceSessions")).hasSize(extra);
      assertThat(Set.copyOf(records(done, "deviceSessions"))).isEqualTo(asDevice1(sessions));
      assertThat(records(done, "seenV3")).hasSize(extra);
      assertThat(Set.copyOf(records(done, "seenV3"))).isEqualTo(asDevice1(seen));
      JsonObject dump = db.dump();
      assertThat(counts(dump)).containsEntry("sessions", 0).containsEntry("seen", 0);
      assertThat(records(dump, "keyring").get(0).getBoolean("devicesLeft")).isFalse();
      assertOnlySealed(
          dump,
          List.of(),
          List.of(),
          strings(db.sessionSecrets("alice").getJsonArray("byteStrings")));
    }
  }

  @Test
  void theDeviceStoreHelpers_keepSessionsAndSeenPerDevice() throws Exception {
    ChatPage page = browsers.open("unit", url("api/server-key"));
    JsonObject result =
        new ProfileDatabase(page, base)
            .ok(
                """
        return withStore(async (s) => {
          const rec = (n) => ({ version: 1, sessions: [{ n }] });
          await s.putDeviceSession('alice', 'bob', 2, rec(2));
          await s.putDeviceSession('alice', 'bob', 1, rec(1));
          await s.putDeviceSession('alice', 'bobby', 1, rec(9));
          await s.putDeviceSession('alice', 'carol', 1, rec(3));
          await s.tx(['deviceSessions', 'seenV3', 'contacts'], 'readwrite', (t) => {
            t.deviceSessions.put({ owner: 'alice', peer: 'dave', device: 1, record: rec(4) });
            t.seenV3.put({ owner: 'alice', from: 'dave', device: 1, id: 'm1' });
          });
          await s.putSeen('alice', 'bob', 2, 'm2');
          const refused = async (f) => {
            try {
              await f();
              return false;
            } catch (e) {
              return e instanceof TypeError;
            }
          };
          const out = {
            bobs: (await s.deviceSessionsOf('alice', 'bob')).map((r) => [r.device, r.record.sessions[0].n]),
            bobOne: (await s.deviceSession('alice', 'bob', 1)).record.sessions[0].n,
            carol: (await s.deviceSession('alice', 'carol', 1))?.record.sessions[0].n,
            dave: (await s.deviceSession('alice', 'dave', 1))?.record.sessions[0].n,
            peers: (await s.ownedBy('deviceSessions', 'alice')).map((r) => r.peer + ':' + r.device),
            seenDave: await s.hasSeen('alice', 'dave', 1, 'm1'),
            seenBob2: await s.hasSeen('alice', 'bob', 2, 'm2'),
            seenBob1: await s.hasSeen('alice', 'bob', 1, 'm2'),
            refuses: {
              deviceZero: await refused(() => s.tx(['deviceSessions'], 'readwrite', (t) =>
                t.deviceSessions.put({ owner: 'a', peer: 'b', device: 0, record: {} }))),
              deviceText: await refused(() => s.tx(['seenV3'], 'readwrite', (t) =>
                t.seenV3.put({ owner: 'a', from: 'b', device: '1', id: 'x' }))),
              noDevice: await refused(() => s.tx(['deviceSessions'], 'readwrite', (t) =>
                t.deviceSessions.put({ owner: 'a', peer: 'b', record: {} }))),
              fraction: await refused(() => s.deviceSession('a', 'b', 1.5)),
            },
          };
          await s.deleteDeviceSession('alice', 'bob', 2);
          await s.deleteDeviceSession('alice', 'carol', 1);
          out.bobsAfter = (await s.deviceSessionsOf('alice', 'bob')).map((r) => r.device);
          out.carolAfter = (await s.deviceSession('alice', 'carol', 1)) === undefined;
          return out;
        });
        """)
            .asJsonObject();
    assertThat(result.getJsonArray("bobs").toString()).isEqualTo("[[1,1],[2,2]]");
    assertThat(result.getInt("bobOne")).isEqualTo(1);
    assertThat(result.getInt("carol")).isEqualTo(3);
    assertThat(result.getInt("dave")).isEqualTo(4);
    assertThat(result.getJsonArray("peers").toString())
        .isEqualTo("[\"bob:1\",\"bob:2\",\"bobby:1\",\"carol:1\",\"dave:1\"]");
    for (String yes : List.of("seenDave", "seenBob2")) {
      assertThat(result.getBoolean(yes)).as(yes).isTrue();
    }
    for (String no : List.of("seenBob1")) {
      assertThat(result.getBoolean(no)).as(no).isFalse();
    }
    assertThat(result.getJsonObject("refuses"))
        .allSatisfy((what, refused) -> assertThat(refused).as(what).isEqualTo(JsonValue.TRUE));
    assertThat(result.getJsonArray("bobsAfter").toString()).isEqualTo("[1]");
    assertThat(result.getBoolean("carolAfter")).isTrue();
  }

  @Test
  void aNewAccountsIdentity_isKeptAsSealedBytes_thatSignAndAgreeAsItsKeys_andCanBeProvisioned()
      throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    String toBob = marker("to-bob");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    a.startConversation(bob).send(toBob);
    b.openConversation(alice).waitIncoming(toBob);
    a.driver.get(url("api/server-key").toString());
    ProfileDatabase db = new ProfileDatabase(a, base);

    JsonObject identity = identityOf(db, alice);
    assertThat(identity.getBoolean("canLink")).isTrue();
    assertThat(identity.getBoolean("deviceOne")).as("deviceId 1").isTrue();
    assertThat(identity.getBoolean("keysNotExtractable")).isTrue();
    assertThat(identity.getBoolean("samePublicKeys"))
        .as("the bytes are the account's keys")
        .isTrue();
    assertThat(identity.getBoolean("sameSignature")).as("Ed25519 signs the same").isTrue();
    assertThat(identity.getBoolean("signatureVerifies")).isTrue();
    assertThat(identity.getBoolean("sameAgreement")).as("X25519 agrees the same").isTrue();
    assertThat(identity.getBoolean("rebuiltIsLinkable")).isTrue();
    assertThat(identity.getString("wrongSignature")).startsWith("IdentityMismatch");
    assertThat(identity.getString("swappedBytes")).startsWith("IdentityMismatch");
    assertThat(identity.getBoolean("rfcVectors")).as("RFC 8032 and RFC 7748 keys").isTrue();
    String signingKey = identity.getString("signingKey");
    String dhPrivateKey = identity.getString("dhPrivateKey");
    assertThat(signingKey).hasSize(64).isNotEqualTo(dhPrivateKey);

    JsonObject dump = db.dump();
    assertOnlySealed(dump, List.of(toBob), List.of(), List.of(signingKey, dhPrivateKey));
    assertThat(records(dump, "accounts").get(0).getJsonArray("cryptoKeys"))
        .as("the keys used stay beside the sealed value, non-extractable")
        .hasSize(identity.getInt("cryptoKeysInAccount"));

    a.load().waitConnected().openConversation(bob); // the account works as ever
    String reply = marker("reply");
    b.send(reply);
    a.waitIncoming(reply);
  }

  /**
   * What the app's keys module says of the account's identity: canLinkDevices, the provisioned
   * bytes (hex) and checks that they are the keys in use, or the error of identityForProvisioning.
   */
  private static JsonObject identityOf(ProfileDatabase db, String username) {
    return db.ok(
            """
        const keys = await app('js/app/keys.js');
        const { ed25519Sign, ed25519Verify, x25519, x25519Generate, ed25519FromSeed, x25519FromPrivate }
          = await app('js/lib/crypto.js');
        const { deviceIdOf } = await app('js/app/accounts.js');
        const account = await withStore((s) => s.get('accounts', args[1]));
        const canLink = keys.canLinkDevices(account);
        const failure = (p) => p.then(() => 'none', (e) => e.name + ': ' + e.message);
        if (!canLink) {
          return { canLink, export: await failure(keys.identityForProvisioning(account)) };
        }
        const same = (x, y) => hex(x) === hex(y);
        const bytes = await keys.identityForProvisioning(account);
        const rebuilt = await keys.identityFromPrivateKeys(bytes);
        const message = crypto.getRandomValues(new Uint8Array(40));
        const peer = await x25519Generate();
        const id = account.identity;
        const sig = await ed25519Sign(id.signing.privateKey, message);
        const fromHex = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
        const rfc8032 = await ed25519FromSeed(
          fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
        const rfc7748 = await x25519FromPrivate(
          fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
        return {
          canLink,
          deviceOne: account.deviceId === 1 && deviceIdOf(account) === 1,
          keysNotExtractable: [id.signing.privateKey, id.dh.privateKey, rebuilt.signing.privateKey,
            rebuilt.dh.privateKey].every((k) => k instanceof CryptoKey && !k.extractable),
          samePublicKeys: same(rebuilt.signing.publicKey, id.signing.publicKey)
            && same(rebuilt.dh.publicKey, id.dh.publicKey) && same(bytes.dhSignature, id.dhSignature),
          sameSignature: same(await ed25519Sign(rebuilt.signing.privateKey, message), sig),
          signatureVerifies: await ed25519Verify(id.signing.publicKey, message, sig),
          sameAgreement: same(await x25519(rebuilt.dh.privateKey, peer.publicKey),
            await x25519(id.dh.privateKey, peer.publicKey)),
          rebuiltIsLinkable: keys.canLinkDevices({ identity: rebuilt }),
          wrongSignature: await failure(keys.identityFromPrivateKeys({ ...bytes,
            dhSignature: new Uint8Array(64) })),
          swappedBytes: await failure(keys.identityForProvisioning({ ...account, identity: { ...id,
            privateBytes: { signingKey: bytes.dhPrivateKey, dhPrivateKey: bytes.signingKey } } })),
          rfcVectors: hex(rfc8032.publicKey) === 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
            && hex(rfc7748.publicKey) === '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
          signingKey: hex(bytes.signingKey),
          dhPrivateKey: hex(bytes.dhPrivateKey),
          cryptoKeysInAccount: 2 + account.signedPreKeys.length,
        };
        """,
            username)
        .asJsonObject();
  }

  /**
   * Every record of a version 2 store, opened with the profile's storage key (as version 2's store
   * did; the window must not show the app).
   */
  private static List<JsonObject> throughApp(ProfileDatabase db, String store, int version) {
    JsonObject result =
        db.ok(
                """
            const { CLEAR_FIELDS } = await app('js/app/store.js');
            const { SealedRecords } = await app('js/app/sealed-records.js');
            const db = await raw();
            try {
              if (db.version !== args[2]) {
                throw new Error('version ' + db.version);
              }
              const t = db.transaction([args[1], 'keyring']);
              const keyring = await promised(t.objectStore('keyring').get('records'));
              const stored = await promised(t.objectStore(args[1]).getAll());
              const records = new SealedRecords(keyring.key, CLEAR_FIELDS);
              return { all: await Promise.all(stored.map((r) => records.open(args[1], r))) };
            } finally {
              db.close();
            }
            """,
                store,
                version)
            .asJsonObject();
    return result.getJsonArray("all").getValuesAs(JsonObject.class);
  }

  /** The records with {@code "device": 1} added. */
  private static Set<JsonObject> asDevice1(List<JsonObject> records) {
    return records.stream()
        .map(r -> Json.createObjectBuilder(r).add("device", 1).build())
        .collect(Collectors.toSet());
  }

  /**
   * Every store holds records with only their clear fields and the sealed form (a byte string and
   * non-extractable CryptoKeys), one storage key, and nowhere a forbidden text (as text or as UTF-8
   * hex), token or byte string.
   */
  private static void assertOnlySealed(
      JsonObject dump, List<String> texts, List<String> tokens, List<String> byteStringsHex) {
    String text = dump.toString(); // not printed on failure: it is long
    for (String t : texts) {
      assertThat(
              text.contains(t)
                  || text.contains(HexFormat.of().formatHex(t.getBytes(StandardCharsets.UTF_8))))
          .as("the raw profile shows the message text " + t)
          .isFalse();
    }
    for (String token : tokens) {
      assertThat(text.contains(token))
          .as("the raw profile shows the bearer token the page used")
          .isFalse();
    }
    for (String bytes : byteStringsHex) {
      assertThat(text.contains(bytes))
          .as("the raw profile shows a byte string of a session record: " + bytes)
          .isFalse();
    }
    JsonObject stores = dump.getJsonObject("stores");
    Set<String> expected = new HashSet<>(CLEAR.keySet());
    expected.add("keyring");
    assertThat(stores.keySet()).isEqualTo(expected);
    CLEAR.forEach(
        (store, clear) -> {
          for (JsonObject record : records(dump, store)) {
            assertThat(record.keySet())
                .as(store + " record " + record.keySet())
                .containsAll(Set.of("sealed"))
                .allMatch(field -> clear.contains(field) || SEALED_FORM.contains(field));
            assertThat(record.getJsonObject("sealed").getString("$bytes"))
                .as(store + " sealed")
                .hasSizeGreaterThan(58);
            if (record.containsKey("cryptoKeys")) {
              assertThat(record.getJsonArray("cryptoKeys"))
                  .as(store + " CryptoKeys")
                  .isNotEmpty()
                  .allSatisfy(
                      k ->
                          assertThat(
                                  k.asJsonObject()
                                      .getJsonObject("$cryptoKey")
                                      .getBoolean("extractable"))
                              .isFalse());
            }
          }
        });
    List<JsonObject> keyring = records(dump, "keyring");
    assertThat(keyring).hasSize(1);
    JsonObject key = keyring.get(0).getJsonObject("key").getJsonObject("$cryptoKey");
    assertThat(key.getString("algorithm")).isEqualTo("AES-GCM");
    assertThat(key.getInt("length")).isEqualTo(256);
    assertThat(key.getBoolean("extractable")).isFalse();
  }

  private static List<JsonObject> records(JsonObject dump, String store) {
    return dump.getJsonObject("stores").getJsonArray(store).getValuesAs(JsonObject.class);
  }

  private static Map<String, Integer> counts(JsonObject dump) {
    return dump.getJsonObject("stores").entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asJsonArray().size()));
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }

  /** The key of the raw message record whose (decrypted) body is {@code body}. */
  private static String keyOf(ProfileDatabase db, List<JsonObject> messages, String body) {
    for (JsonObject m : messages) {
      JsonObject read = db.read("messages", List.of(m.getString("owner"), m.getString("key")));
      if (read.containsKey("ok") && body.equals(read.getJsonObject("ok").getString("body"))) {
        return m.getString("key");
      }
    }
    throw new AssertionError("no message " + body);
  }

  /** The error of a read through the app's store that must fail. */
  private static String error(JsonObject result) {
    assertThat(result)
        .as("a read of a moved sealed value succeeded: " + result)
        .containsKey("error");
    return result.getString("error");
  }

  private static String loadingText(ChatPage page) {
    return String.valueOf(
        page.script("return document.getElementById('loading-view').textContent"));
  }
}
