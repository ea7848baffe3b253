package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.Api.Reply;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.RawHttp;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 10: hostile clients against the REST API through the real container (findings 2, 4, 6 and
 * 7). The server runs with the limits of {@code arquillian.xml}: 60 bundle fetches per requester
 * and 45 one-time prekeys per target an hour, X-Forwarded-For read from 127.0.0.1 only, login
 * backoff from 10 s. (The cap on open link mailboxes is tested on a server of its own.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileHttpIT {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An X25519 point of order 8 (RFC 7748 small-order list; libsodium's blocklist). */
  private static final byte[] ORDER_EIGHT =
      HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api api() {
    return new Api(base);
  }

  private RawHttp raw() {
    return new RawHttp(base);
  }

  private static void assertProblem(Reply reply, int status, String code, String field) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().getString("code")).isEqualTo(code);
    if (field != null) {
      assertThat(reply.json().getString("field")).as(reply.raw().body()).isEqualTo(field);
    }
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  /**
   * A registration body with {@code member} replaced by raw JSON text (so that any JSON type can be
   * sent).
   */
  private static String registrationWith(TestUser user, String path, String rawValue) {
    JsonObject body = user.registration(1).build();
    String placeholder = "\"@@RAW@@\"";
    JsonObjectBuilder edited = Json.createObjectBuilder(body);
    String[] parts = path.split("\\.");
    if (parts.length == 1) {
      edited.add(parts[0], "@@RAW@@");
    } else if (parts[0].equals("oneTimePreKeys")) {
      JsonObject first = body.getJsonArray("oneTimePreKeys").getJsonObject(0);
      edited.add(
          "oneTimePreKeys",
          Json.createArrayBuilder().add(Json.createObjectBuilder(first).add(parts[1], "@@RAW@@")));
    } else {
      edited.add(
          parts[0],
          Json.createObjectBuilder(body.getJsonObject(parts[0])).add(parts[1], "@@RAW@@"));
    }
    return edited.build().toString().replace(placeholder, rawValue);
  }

  private Reply register(String body) {
    return api().call("POST", "api/accounts", null, body);
  }

  /**
   * Every such path is refused before routing: 400 {@code invalid_path}, or, when the container
   * itself fails to normalise it (Grizzly's {@code HttpRequestURIDecoder} sometimes throws on a
   * trailing {@code /..}, see docs/upstream/payara-path-routing.md), the container's empty 200.
   * Never a resource's answer, never /metrics.
   */
  @Test
  void encodedSlashesDotSegmentsAndPathParameters_neverReachARouteOrAnotherModule() {
    for (String path :
        List.of(
            "/api/keys/..%2f..%2fmetrics",
            "/api/x/../../metrics",
            "/api/keys/x/..",
            "/api/keys/x%2fy",
            "/api/keys/%2e%2e/server-key",
            "/api/keys/x;y",
            "/api/keys/x/..")) {
      RawHttp.Response reply = raw().send("GET", path, null);
      assertThat(reply.body()).as(path).doesNotContain("# TYPE");
      if (reply.status() == 200) {
        assertThat(reply.body())
            .as(path + ": only the container's own failure answers 200")
            .isEmpty();
        continue;
      }
      assertThat(reply.status()).as(path).isEqualTo(400);
      assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
      assertThat(json(reply.body()).getString("code")).as(path).isEqualTo("invalid_path");
    }
    RawHttp.Response encoded = raw().send("GET", "/api/keys/..%2f..%2fmetrics", null);
    assertThat(encoded.status()).isEqualTo(400);
  }

  @Test
  void location_isAPath_whateverHostTheClientSends() {
    TestUser user = TestUser.named("loc");
    RawHttp.Response reply =
        raw()
            .send(
                "POST",
                "/api/accounts",
                user.registration(0).build().toString(),
                "Host: evil.example",
                "Content-Type: application/json");

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Location")).isEqualTo("/api/keys/" + user.username);
  }

  @Test
  void mediaTypeInCapitals_isAccepted() {
    TestUser user = TestUser.named("caps");
    RawHttp.Response reply =
        raw()
            .send(
                "POST",
                "/api/accounts",
                user.registration(0).build().toString(),
                "Content-Type: APPLICATION/JSON; Charset=UTF-8");

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
  }

  @Test
  void jsonTypes_areNeverCoerced() {
    for (String username : List.of("12345", "true", "1.5", "null", "[\"abc\"]")) {
      assertProblem(
          register(registrationWith(TestUser.named("t"), "username", username)),
          400,
          "invalid_request",
          "username");
    }
    for (String keyId : List.of("\"77\"", "1e2", "-0", "1.5", "9007199254740992", "1e308", "-1")) {
      assertProblem(
          register(registrationWith(TestUser.named("k"), "signedPreKey.keyId", keyId)),
          400,
          "invalid_request",
          "signedPreKey.keyId");
      assertProblem(
          register(registrationWith(TestUser.named("k"), "oneTimePreKeys.keyId", keyId)),
          400,
          "invalid_request",
          "oneTimePreKeys[0].keyId");
    }
    TestUser largest = TestUser.named("max");
    // The largest key id, with the prekey signed over it (the signature covers the id: protocol
    // v2).
    assertThat(
            api()
                .post(
                    "api/accounts",
                    null,
                    Json.createObjectBuilder(largest.registration(0).build())
                        .add("signedPreKey", largest.signedPreKeyJson(9007199254740991L))
                        .build())
                .status())
        .isEqualTo(201);
    assertProblem(
        register("{\"username\":\"dupe-name\",\"username\":\"dupe-name\"}"),
        400,
        "invalid_json",
        null);
  }

  @Test
  void base64_mustBeCanonicalAndPadded() {
    TestUser user = TestUser.named("b64");
    String key = Bytes.base64(user.identity.publicKey());
    String unpadded = key.substring(0, key.length() - 1);
    char last = key.charAt(key.length() - 2);
    String nonZeroTrailingBits =
        key.substring(0, key.length() - 2)
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .charAt(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(last)
                        | 1)
            + "=";
    assertProblem(
        register(registrationWith(user, "identityKey", "\"" + unpadded + "\"")),
        400,
        "invalid_request",
        "identityKey");
    assertProblem(
        register(registrationWith(user, "identityKey", "\"" + nonZeroTrailingBits + "\"")),
        400,
        "invalid_request",
        "identityKey");
  }

  @Test
  void smallOrderX25519Keys_areRefused() {
    TestUser user = TestUser.named("small");
    byte[] zero = new byte[32];
    long now = System.currentTimeMillis() / 1000;
    JsonObject signedZero =
        Json.createObjectBuilder()
            .add("keyId", 1)
            .add("publicKey", Bytes.base64(zero))
            .add("createdAt", now)
            .add(
                "signature",
                Bytes.base64(
                    Ed25519.sign(
                        user.identity.privateKey(),
                        KeySignatures.signedPreKeyMessage(1, now, zero))))
            .build();
    assertProblem(
        api()
            .post(
                "api/accounts",
                null,
                Json.createObjectBuilder(user.registration(0).build())
                    .add("signedPreKey", signedZero)
                    .build()),
        400,
        "invalid_request",
        "signedPreKey.publicKey");
    assertProblem(
        register(
            registrationWith(
                user, "oneTimePreKeys.publicKey", "\"" + Bytes.base64(ORDER_EIGHT) + "\"")),
        400,
        "invalid_request",
        "oneTimePreKeys[0].publicKey");
    assertProblem(
        register(
            registrationWith(
                user,
                "identityDhKey.publicKey",
                "\""
                    + Bytes.base64(
                        new byte[] {
                          1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0
                        })
                    + "\"")),
        400,
        "invalid_request",
        "identityDhKey.publicKey");

    String token = api().signUp(TestUser.named("small-up"));
    assertProblem(
        api()
            .post(
                "api/keys/one-time-prekeys",
                token,
                Json.createObjectBuilder()
                    .add(
                        "preKeys",
                        Json.createArrayBuilder()
                            .add(
                                Json.createObjectBuilder()
                                    .add("keyId", 500)
                                    .add("publicKey", Bytes.base64(ORDER_EIGHT))))
                    .build()),
        400,
        "invalid_request",
        "preKeys[0].publicKey");
  }

  @Test
  void signedPreKeyRotation_namesTheBodysOwnFields() {
    TestUser user = TestUser.named("rot");
    String token = api().signUp(user);
    X25519.KeyPair next = X25519.generate(RANDOM);
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder()
                    .add("keyId", 2)
                    .add("publicKey", "AAAA")
                    .add("signature", Bytes.base64(new byte[64]))
                    .build()),
        400,
        "invalid_request",
        "publicKey");
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder()
                    .add("keyId", 2)
                    .add("publicKey", Bytes.base64(next.publicKey()))
                    .add("signature", Bytes.base64(new byte[64]))
                    .build()),
        400,
        "invalid_request",
        "createdAt");
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder()
                    .add("keyId", 2)
                    .add("publicKey", Bytes.base64(next.publicKey()))
                    .add("createdAt", System.currentTimeMillis() / 1000)
                    .add("signature", Bytes.base64(new byte[64]))
                    .build()),
        400,
        "invalid_signature",
        "signature");
  }

  @Test
  void loginPasswordOver128Characters_answers401LikeAWrongPassword() {
    TestUser user = TestUser.named("long");
    api().register(user, 0);
    assertProblem(
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder()
                    .add("username", user.username)
                    .add("password", "x".repeat(129))
                    .build()),
        401,
        "invalid_credentials",
        null);
    assertProblem(
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder()
                    .add("username", 12345)
                    .add("password", "x".repeat(12))
                    .build()),
        400,
        "invalid_request",
        "username");
  }

  @Test
  void bundle_namesItsUser() {
    TestUser owner = TestUser.named("named");
    api().register(owner, 1);
    String token = api().signUp(TestUser.named("asker"));

    JsonObject bundle = api().get("api/keys/" + owner.username, token).json();

    assertThat(bundle.getString("username")).isEqualTo(owner.username);
    assertThat(bundle.keySet())
        .containsExactlyInAnyOrder(
            "username", "identityKey", "identityDhKey", "signedPreKey", "oneTimePreKey");
  }

  /** Finding 2 and the status line of finding 6 ("429 CUSTOM"). */
  @Test
  void bundleFetchesPerRequester_areLimited_with429TooManyRequests() {
    TestUser target = TestUser.named("target");
    api().register(target, 0);
    String token = api().signUp(TestUser.named("greedy"));
    for (int i = 0; i < 60; i++) {
      assertThat(api().get("api/keys/" + target.username, token).status()).isEqualTo(200);
    }

    RawHttp.Response limited =
        raw().send("GET", "/api/keys/" + target.username, null, "Authorization: Bearer " + token);

    assertThat(limited.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(json(limited.body()).getString("code")).isEqualTo("rate_limited");
    assertThat(
            api()
                .get("api/keys/" + target.username, api().signUp(TestUser.named("other")))
                .status())
        .as("other requesters are not limited")
        .isEqualTo(200);
  }

  /**
   * Identity lookups answer 404 for an unknown name: limited per requester like bundles, before the
   * lookup.
   */
  @Test
  void identityLookupsPerRequester_areLimited_beforeTheyRevealWhetherANameExists() {
    TestUser target = TestUser.named("known");
    api().register(target, 0);
    String token = api().signUp(TestUser.named("prober"));
    for (int i = 0; i < 600; i++) {
      String name = i % 2 == 0 ? target.username : "nobody-" + i;
      assertThat(api().get("api/keys/" + name + "/identity", token).status()).isIn(200, 404);
    }

    // The bucket refills one lookup every 6 s (600 an hour), so a slow run may have earned a few
    // more: the limit must come within a few lookups, not exactly at the 601st.
    RawHttp.Response limited = null;
    for (int extra = 0; extra < 20 && limited == null; extra++) {
      RawHttp.Response answer =
          raw()
              .send(
                  "GET",
                  "/api/keys/" + target.username + "/identity",
                  null,
                  "Authorization: Bearer " + token);
      if (!answer.statusLine().equals("HTTP/1.1 200 OK")) {
        limited = answer;
      }
    }
    assertThat(limited).as("a lookup answered 429 within 20 after the 600").isNotNull();
    RawHttp.Response unknown =
        raw()
            .send(
                "GET", "/api/keys/nobody-at-all/identity", null, "Authorization: Bearer " + token);

    assertThat(limited.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(json(limited.body()).getString("code")).isEqualTo("rate_limited");
    assertThat(unknown.statusLine())
        .as("an unknown name answers the same")
        .isEqualTo(limited.statusLine());
    assertThat(
            api()
                .get(
                    "api/keys/" + target.username + "/identity",
                    api().signUp(TestUser.named("other")))
                .status())
        .as("other requesters are not limited")
        .isEqualTo(200);
  }

  /**
   * Finding 2: 15 fetches emptied a 10-key pool. Now at most 45 an hour are handed out, whoever
   * asks.
   */
  @Test
  void oneTimePreKeysPerTarget_areBudgeted_soNoOneCanEmptyThePool() {
    TestUser victim = TestUser.named("victim");
    api().register(victim, 100);
    String victimToken = api().login(victim);
    int handedOut = 0;
    for (int requester = 0; requester < 2; requester++) {
      String token = api().signUp(TestUser.named("drain" + requester));
      for (int i = 0; i < 40; i++) {
        JsonObject bundle = api().get("api/keys/" + victim.username, token).json();
        assertThat(bundle.containsKey("signedPreKey")).isTrue();
        handedOut += bundle.containsKey("oneTimePreKey") ? 1 : 0;
      }
    }
    assertThat(handedOut).isEqualTo(45);
    assertThat(api().get("api/keys/one-time-prekeys/count", victimToken).json().getInt("count"))
        .isEqualTo(55);
  }

  /** Finding 2: the owner refilled only at its next connection; now it is told at once. */
  @Test
  void fetchBelowTheLowWaterMark_tellsTheConnectedOwner() {
    TestUser owner = TestUser.named("owner");
    api().register(owner, 26);
    String peer = api().signUp(TestUser.named("fetcher"));
    try (ChannelClient channel = ChannelClient.open(api(), api().login(owner), 2)) {
      channel.expect(WireMessage.CaughtUp.class);
      api().get("api/keys/" + owner.username, peer);
      channel.sync(); // 25 left: not below the mark, nothing sent

      api().get("api/keys/" + owner.username, peer);

      WireMessage notice = channel.next(Duration.ofSeconds(10));
      assertThat(notice).isEqualTo(new WireMessage.PreKeysLow("24"));
    }
  }

  /**
   * preKeysLow is relay version 2: a version 1 client, which could not decode it, is never sent
   * one.
   */
  @Test
  void preKeysLow_isNeverSentToAVersion1Client() {
    TestUser owner = TestUser.named("owner1");
    api().register(owner, 25);
    String peer = api().signUp(TestUser.named("fetcher1"));
    try (ChannelClient channel = ChannelClient.open(api(), api().login(owner))) {
      api().get("api/keys/" + owner.username, peer);
      channel.sync(); // would fail on a preKeysLow before the pong
    }
  }

  /**
   * Findings 4 and 7: others' failures locked the real user out; a proxy's address was everyone's.
   */
  @Test
  void othersFailedLogins_neverLockTheUserOutOfItsOwnAddress() {
    TestUser dave = TestUser.named("dave");
    api().register(dave, 0); // from 127.0.0.1: a known address for dave from now on
    JsonObject wrong =
        Json.createObjectBuilder()
            .add("username", dave.username)
            .add("password", "wrong guess!")
            .build();
    int limited = 0;
    for (int i = 0; i < 15; i++) {
      RawHttp.Response reply =
          raw()
              .send(
                  "POST",
                  "/api/sessions",
                  wrong.toString(),
                  "Content-Type: application/json",
                  "X-Forwarded-For: 203.0.113." + i);
      limited += reply.status() == 429 ? 1 : 0;
    }
    assertThat(limited).as("failures per user from unknown addresses").isPositive();
    assertThat(
            raw()
                .send(
                    "POST",
                    "/api/sessions",
                    dave.login().toString(),
                    "Content-Type: application/json",
                    "X-Forwarded-For: 198.51.100.20")
                .status())
        .as("a new address waits while dave is attacked")
        .isEqualTo(429);
    assertThat(
            raw()
                .from("127.0.0.2")
                .send(
                    "POST",
                    "/api/sessions",
                    dave.login().toString(),
                    "Content-Type: application/json",
                    "X-Forwarded-For: 127.0.0.1")
                .status())
        .as("the header is ignored from a peer that is not a trusted proxy")
        .isEqualTo(429);

    assertThat(api().post("api/sessions", null, dave.login()).status()).isEqualTo(200);
  }

  /**
   * An anonymous flood of link mailboxes from one address, sent all at once: exactly {@code
   * securecom.links.per-address} (10 an hour) are opened; every other answer is 429 with a problem
   * body and a {@code Retry-After} within the hour, and stores nothing (its id names no mailbox,
   * while each opened one is there, empty). Another address still opens its mailbox.
   */
  @Test
  void aMailboxFloodFromOneAddress_opensItsLimit_andEachRefusalIs429AndStoresNothing()
      throws Exception {
    List<String> ids = Stream.generate(HostileHttpIT::mailboxId).limit(25).toList();

    List<RawHttp.Response> replies = openAtOnce(raw(), ids, i -> "203.0.113.77");

    List<String> opened = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (replies.get(i).status() == 201) {
        opened.add(ids.get(i));
      } else {
        assertRateLimited(replies.get(i), 1, 3600);
      }
    }
    assertThat(opened).as("securecom.links.per-address").hasSize(10);
    String prober = "X-Forwarded-For: 198.51.100.79";
    for (String id : ids) {
      RawHttp.Response look = raw().send("GET", "/api/links/" + id, null, prober);
      if (opened.contains(id)) {
        assertThat(look.status()).as("an opened mailbox, empty").isEqualTo(204);
      } else {
        assertThat(look.status()).as("a refused id names no mailbox").isEqualTo(404);
        assertThat(json(look.body()).getString("code")).isEqualTo("unknown_link");
      }
    }
    assertThat(
            raw()
                .send(
                    "POST",
                    "/api/links",
                    openBody(mailboxId()),
                    "Content-Type: application/json",
                    "X-Forwarded-For: 198.51.100.77")
                .status())
        .isEqualTo(201);
  }

  /**
   * A flood from many addresses at once, each within its own limit, cannot make the server hold
   * more than {@code securecom.links.max-open} mailboxes: on a server of its own capped at 5 (the
   * shared one keeps the default 10,000, which other tests' mailboxes count against), 40 addresses
   * open one each at the same moment; at most 5 get a mailbox (opens under way count as open, so a
   * race may refuse one early), the others 429 with {@code Retry-After: 60}, and the table holds
   * exactly the mailboxes opened.
   */
  @Test
  void aMailboxFloodFromManyAddresses_neverOpensMoreThanMaxOpen() throws Exception {
    Path work = WorkDirectories.create("link-flood");
    try (TestDatabase database = databaseOfTheRun(work);
        PayaraServer server = PayaraServer.start(work, capped(database, work))) {
      RawHttp own = new RawHttp(server.api().base().toURL());
      List<String> ids = Stream.generate(HostileHttpIT::mailboxId).limit(40).toList();

      List<RawHttp.Response> replies = openAtOnce(own, ids, i -> "203.0.113." + (100 + i));

      int opened = 0;
      for (RawHttp.Response reply : replies) {
        if (reply.status() == 201) {
          opened++;
        } else {
          assertRateLimited(reply, 60, 60);
        }
      }
      // opens under way count as open, so a flood at the cap may be refused a little early: never
      // more than the cap, and at least one gets through
      assertThat(opened).as("securecom.links.max-open").isBetween(1, 5);
      try (Connection c = database.open();
          Statement count = c.createStatement();
          ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM link_mailbox")) {
        rows.next();
        assertThat(rows.getLong(1)).as("rows stored").isEqualTo(opened);
      }
      // once the race is over the cap is exact: the mailboxes a race refused early open now, one
      // by one, and the next beyond the cap is refused
      for (int i = opened; i < 5; i++) {
        assertThat(open(own, "198.51.100." + (100 + i)).status()).isEqualTo(201);
      }
      assertRateLimited(open(own, "198.51.100.200"), 60, 60);
    }
  }

  /** {@code POST /api/links} of a fresh mailbox id from the client address {@code address}. */
  private static RawHttp.Response open(RawHttp own, String address) throws Exception {
    return own.send(
        "POST",
        "/api/links",
        openBody(mailboxId()),
        "Content-Type: application/json",
        "X-Forwarded-For: " + address);
  }

  /**
   * A server of its own: {@code database}, at most 5 open mailboxes, the proxy of arquillian.xml.
   */
  private static Map<String, String> capped(TestDatabase database, Path work) {
    Map<String, String> properties = new HashMap<>(database.serverProperties());
    properties.put("securecom.server-key.file", work.resolve("server.key").toString());
    properties.put("securecom.links.max-open", "5");
    properties.put("securecom.http.client-address-header", "X-Forwarded-For");
    properties.put("securecom.http.trusted-proxies", "127.0.0.1");
    return properties;
  }

  /** The run's kind of database (H2, or PostgreSQL in the postgres profile), empty. */
  private static TestDatabase databaseOfTheRun(Path work) throws Exception {
    if ("postgres".equals(System.getProperty("it.db.name"))) {
      return TestDatabase.postgres(
          TestDatabase.Postgres.withDatabase(
              System.getProperty("it.db.url"), "securecom_link_flood_it"),
          System.getProperty("it.db.user", "postgres"));
    }
    return TestDatabase.h2Shared(work.resolve("db"));
  }

  /**
   * {@code POST /api/links} for each of {@code ids} at the same moment, the i-th from the client
   * address {@code from.apply(i)} (as the trusted proxy 127.0.0.1 says it); the answers in order.
   */
  private static List<RawHttp.Response> openAtOnce(
      RawHttp http, List<String> ids, IntFunction<String> from) throws Exception {
    CyclicBarrier start = new CyclicBarrier(ids.size());
    ExecutorService pool = Executors.newFixedThreadPool(ids.size());
    try {
      List<Callable<RawHttp.Response>> opens = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        String body = openBody(ids.get(i));
        String forwarded = "X-Forwarded-For: " + from.apply(i);
        opens.add(
            () -> {
              start.await();
              return http.send(
                  "POST", "/api/links", body, "Content-Type: application/json", forwarded);
            });
      }
      List<RawHttp.Response> replies = new ArrayList<>();
      for (Future<RawHttp.Response> reply : pool.invokeAll(opens)) {
        replies.add(reply.get());
      }
      return replies;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String openBody(String mailbox) {
    return Json.createObjectBuilder().add("mailbox", mailbox).build().toString();
  }

  /** 429 Too Many Requests, a rate_limited problem, Retry-After in [min, max] seconds. */
  private static void assertRateLimited(RawHttp.Response reply, long min, long max) {
    assertThat(reply.statusLine()).as(reply.body()).isEqualTo("HTTP/1.1 429 Too Many Requests");
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    JsonObject problem = json(reply.body());
    assertThat(problem.getString("code")).isEqualTo("rate_limited");
    assertThat(problem.getInt("status")).isEqualTo(429);
    assertThat(Long.parseLong(reply.header("Retry-After"))).isBetween(min, max);
  }

  /**
   * JAX-RS would answer HEAD by running the GET method and dropping its body: a HEAD on a mailbox
   * would take its message, and nobody would ever get it. HEAD is refused before any resource runs,
   * and the next GET still takes the message.
   */
  @Test
  void headOnAMailboxHoldingAMessage_answers405_andTheMessageIsStillTaken() {
    String linker = "X-Forwarded-For: 198.51.100.78";
    String mailbox = mailboxId();
    String token = api().signUp(TestUser.named("head-link"));
    byte[] message = new byte[64];
    RANDOM.nextBytes(message);
    String body =
        Json.createObjectBuilder().add("message", Bytes.base64(message)).build().toString();
    assertThat(
            raw()
                .send(
                    "POST",
                    "/api/links",
                    Json.createObjectBuilder().add("mailbox", mailbox).build().toString(),
                    "Content-Type: application/json",
                    linker)
                .status())
        .isEqualTo(201);
    assertThat(api().call("PUT", "api/links/" + mailbox, token, body).status()).isEqualTo(204);

    RawHttp.Response head = raw().send("HEAD", "/api/links/" + mailbox, null, linker);

    assertThat(head.status()).isEqualTo(405);
    assertThat(head.header("Content-Type")).startsWith("application/problem+json");
    assertThat(allowed(head)).containsExactly("GET", "PUT");
    assertThat(head.body()).as("a HEAD answer has no body").isEmpty();
    RawHttp.Response taken = raw().send("GET", "/api/links/" + mailbox, null, linker);
    assertThat(taken.status()).as(taken.body()).isEqualTo(200);
    assertThat(Bytes.fromCanonicalBase64(json(taken.body()).getString("message")))
        .isEqualTo(message);
  }

  /**
   * A HEAD on a bundle would hand a one-time prekey to nobody: it is refused, authenticated or not.
   */
  @Test
  void headOnABundle_answers405_andConsumesNoOneTimePreKey() {
    TestUser owner = TestUser.named("head-owner");
    api().register(owner, 5);
    String ownerToken = api().login(owner);
    String asker = "Authorization: Bearer " + api().signUp(TestUser.named("head-asker"));

    for (String path :
        List.of("/api/keys/" + owner.username, "/api/keys/" + owner.username + "?devices=1")) {
      for (String[] headers : List.of(new String[] {asker}, new String[0])) {
        RawHttp.Response head = raw().send("HEAD", path, null, headers);
        assertThat(head.status()).as(path).isEqualTo(405);
        assertThat(allowed(head)).as(path).containsExactly("GET");
      }
    }

    assertThat(api().get("api/keys/one-time-prekeys/count", ownerToken).json().getInt("count"))
        .isEqualTo(5);
  }

  /**
   * OPTIONS is refused like HEAD and any other method a path does not have: 405 {@code http_405}
   * with the path's own methods in {@code Allow}, never Jersey's WADL description of the API; an
   * unknown path stays 404, and the operator's endpoints and the pages outside {@code /api} keep
   * answering HEAD.
   */
  @Test
  void optionsAndOtherMethods_answer405WithTheRealMethods_neverAWadl() {
    String asker = "Authorization: Bearer " + api().signUp(TestUser.named("options"));
    for (String[] call :
        List.of(
            new String[] {"OPTIONS", "/api/keys/someone", "GET"},
            new String[] {"OPTIONS", "/api/links", "POST"},
            new String[] {"OPTIONS", "/api/links/" + mailboxId(), "GET, PUT"},
            new String[] {"OPTIONS", "/api/sessions/current", "DELETE"},
            new String[] {"HEAD", "/api/sessions/current", "DELETE"},
            new String[] {"DELETE", "/api/links/" + mailboxId(), "GET, PUT"},
            new String[] {"PATCH", "/api/server-key", "GET"})) {
      String what = call[0] + " " + call[1];
      for (String[] headers : List.of(new String[] {asker}, new String[0])) {
        RawHttp.Response reply = raw().send(call[0], call[1], null, headers);
        assertThat(reply.status()).as(what).isEqualTo(405);
        assertThat(allowed(reply)).as(what).containsExactly(call[2].split(", "));
        assertThat(reply.header("Content-Type")).as(what).startsWith("application/problem+json");
        if (!call[0].equals("HEAD")) {
          assertThat(json(reply.body()).getString("code")).as(what).isEqualTo("http_405");
          assertThat(reply.body()).as(what).doesNotContainIgnoringCase("wadl");
        }
      }
    }
    RawHttp.Response unknown = raw().send("OPTIONS", "/api/nothing-here", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown.body()).getString("code")).isEqualTo("http_404");
    assertThat(raw().send("GET", "/api/application.wadl", null).status()).isEqualTo(404);

    assertThat(raw().send("HEAD", "/health", null).status()).isEqualTo(200);
    assertThat(raw().send("HEAD", "/", null).status()).isEqualTo(200);
  }

  /** The methods of an {@code Allow} header, in order. */
  private static List<String> allowed(RawHttp.Response reply) {
    String allow = reply.header("Allow");
    assertThat(allow).as("Allow").isNotNull();
    return List.of(allow.split(",\\s*"));
  }

  private static String mailboxId() {
    byte[] id = new byte[16];
    new java.security.SecureRandom().nextBytes(id);
    return java.util.HexFormat.of().formatHex(id);
  }
}
