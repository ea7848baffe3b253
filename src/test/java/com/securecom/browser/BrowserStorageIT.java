package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.browser.support.ProfileDatabase;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.testkit.TcpProxy;
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
 * message text, no bearer token and no ratchet key, only the clear fields IndexedDB needs and
 * sealed blobs; a sealed value moved to another record or store does not open; a plaintext profile
 * of version 1 is sealed on the next open.
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
      Map.of(
          "meta", Set.of("key"),
          "accounts", Set.of("username"),
          "oneTimePreKeys", Set.of("owner", "keyId"),
          "contacts", Set.of("owner", "peer"),
          "sessions", Set.of("owner", "peer"),
          "messages", Set.of("owner", "key", "peer", "at"),
          "outbox", Set.of("owner", "id", "at"),
          "seen", Set.of("owner", "from", "id"));

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
          .containsEntry("sessions", 1)
          .containsEntry("keyring", 1);
      assertThat(counts)
          .as("alice's records")
          .allSatisfy((store, n) -> assertThat(n).as(store).isPositive());
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
    db.copySealed("sessions", pair, "contacts", pair); // the same primary key, another store
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
        .isEqualTo(db.raw("sessions", pair).asJsonObject().get("sealed"));
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
    assertThat(sealed.getInt("version")).isEqualTo(2);
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
