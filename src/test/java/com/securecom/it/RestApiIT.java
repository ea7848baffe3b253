package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.Api.Reply;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.Fingerprint;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API through the real HTTP stack: accounts, sessions, the key registry and their errors.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestApiIT {
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api api() {
    return new Api(base);
  }

  private static void assertProblem(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().getInt("status")).isEqualTo(status);
    assertThat(reply.json().getString("code")).isEqualTo(code);
  }

  @Test
  void registration_thenLogin_returnsAnExpiringToken() {
    TestUser alice = TestUser.named("alice");
    Reply created = api().post("api/accounts", null, alice.registration(3).build());
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("username")).isEqualTo(alice.username);

    Reply login = api().post("api/sessions", null, alice.login());
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getString("token")).hasSize(43);
    assertThat(login.json().getString("expiresAt")).endsWith("Z");
  }

  /**
   * A login names the device it is for (1 when absent). A device the account does not have is 403
   * {@code device_removed}, but only with the right password: a wrong one is the usual 401, so the
   * answer tells nobody else which devices exist. A malformed id is 400 naming {@code device}.
   */
  @Test
  void login_namesItsDevice_aDeviceTheAccountLacksIs403OnlyWithThePassword() {
    TestUser carol = TestUser.named("carol");
    api().register(carol, 0);

    Reply device1 =
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder(carol.login()).add("device", 1).build());
    Reply device2 =
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder(carol.login()).add("device", 2).build());
    Reply device2WrongPassword =
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder(carol.login())
                    .add("password", "not the password")
                    .add("device", 2)
                    .build());

    assertThat(device1.status()).isEqualTo(200);
    assertThat(device1.json().getString("token")).hasSize(43);
    assertProblem(device2, 403, "device_removed");
    assertProblem(device2WrongPassword, 401, "invalid_credentials");
    for (String bad : List.of("0", "-1", "1000000000", "\"1\"", "1.0", "1e0", "null", "true")) {
      String body =
          "{\"username\":\""
              + carol.username
              + "\",\"password\":\""
              + carol.password
              + "\",\"device\":"
              + bad
              + "}";
      Reply reply = api().call("POST", "api/sessions", null, body);
      assertProblem(reply, 400, "invalid_request");
      assertThat(reply.json().getString("field")).as(bad).isEqualTo("device");
    }
  }

  /**
   * Signed device lists: an account publishes its list, and anyone signed in gets back exactly the
   * bytes it uploaded, with the account's devices; the owner also sees the device limit.
   */
  @Test
  void aPublishedDeviceList_isServedByteForByte_withTheAccountsDevices() {
    TestUser dave = TestUser.named("dave");
    TestUser erin = TestUser.named("erin");
    String daves = api().signUp(dave);
    String erins = api().signUp(erin);
    assertThat(api().get("api/devices/" + dave.username, erins).json().containsKey("deviceList"))
        .as("a legacy account has no list")
        .isFalse();
    JsonObject upload = dave.deviceListUpload(dave.identity, 1, 1, 1);

    Reply stored = api().put("api/devices/list", daves, upload);
    Reply served = api().get("api/devices/" + dave.username, erins);
    Reply own = api().get("api/devices", daves);

    assertThat(stored.status()).as(stored.raw().body()).isEqualTo(204);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.json().getString("username")).isEqualTo(dave.username);
    assertThat(served.json().getJsonObject("deviceList"))
        .isEqualTo(upload.getJsonObject("deviceList"));
    assertThat(served.json().getJsonArray("devices").toString()).isEqualTo("[1]");
    assertThat(own.json().getJsonObject("deviceList"))
        .isEqualTo(upload.getJsonObject("deviceList"));
    assertThat(own.json().getInt("maxDevices")).isEqualTo(6);
    assertThat(own.json().getJsonArray("devices").getJsonObject(0).getInt("deviceId")).isEqualTo(1);
    assertThat(own.json().getJsonArray("devices").getJsonObject(0).getString("createdAt"))
        .endsWith("Z");
  }

  /**
   * What a hostile client or server-side impostor tries with device lists: a list its key did not
   * sign, another account's list, a replayed or skipped serial, adding a device, malformed bytes.
   * Each is refused with its documented problem, and the stored list stays as it was.
   */
  @Test
  void deviceListsThatMustNotBeStored_areRefused_andTheStoredOneStays() {
    TestUser fay = TestUser.named("fay");
    TestUser gus = TestUser.named("gus");
    String fays = api().signUp(fay);
    api().signUp(gus);
    JsonObject first = fay.deviceListUpload(fay.identity, 1, 1, 1);
    assertThat(api().put("api/devices/list", fays, first).status()).isEqualTo(204);

    Reply notHerKey =
        api().put("api/devices/list", fays, fay.deviceListUpload(gus.identity, 2, 1, 1));
    Reply gussList =
        api().put("api/devices/list", fays, gus.deviceListUpload(gus.identity, 1, 1, 1));
    Reply replayed = api().put("api/devices/list", fays, first);
    Reply skipped =
        api().put("api/devices/list", fays, fay.deviceListUpload(fay.identity, 3, 1, 1));
    Reply adding =
        api().put("api/devices/list", fays, fay.deviceListUpload(fay.identity, 2, 2, 1, 2));
    Reply truncated =
        api()
            .call(
                "PUT",
                "api/devices/list",
                fays,
                "{\"deviceList\":{\"body\":\"AAAA\",\"signature\":\""
                    + Bytes.base64(new byte[64])
                    + "\"}}");

    assertProblem(notHerKey, 400, "invalid_signature");
    assertThat(notHerKey.json().getString("field")).isEqualTo("deviceList.signature");
    assertProblem(gussList, 400, "invalid_signature");
    assertProblem(replayed, 409, "list_conflict");
    assertProblem(skipped, 409, "list_conflict");
    assertProblem(adding, 409, "list_conflict");
    assertProblem(truncated, 400, "invalid_request");
    assertThat(truncated.json().getString("field")).isEqualTo("deviceList.body");
    assertThat(api().get("api/devices/" + fay.username, fays).json().getJsonObject("deviceList"))
        .isEqualTo(first.getJsonObject("deviceList"));
    assertProblem(api().get("api/devices/nobody-" + fay.username, fays), 404, "unknown_user");
    assertThat(api().get("api/devices/" + fay.username, null).status()).isEqualTo(401);
  }

  /**
   * Bundles by device: {@code ?devices=1} is device 1's bundle in the devices form; a device the
   * account lacks is 404 naming it, and takes none of the other devices' one-time prekeys.
   */
  @Test
  void bundlesByDevice_holdEachDevicesKeys_andADeviceTheAccountLacksIs404() {
    TestUser hal = TestUser.named("hal");
    TestUser ida = TestUser.named("ida");
    api().register(hal, 3);
    String idas = api().signUp(ida);
    String hals = api().login(hal);

    Reply one = api().get("api/keys/" + hal.username + "?devices=1", idas);
    Reply missing = api().get("api/keys/" + hal.username + "?devices=1,2", idas);
    Reply unordered = api().get("api/keys/" + hal.username + "?devices=2,1", idas);

    assertThat(one.status()).as(one.raw().body()).isEqualTo(200);
    assertThat(one.json().getString("identityKey"))
        .isEqualTo(Bytes.base64(hal.identity.publicKey()));
    JsonObject device1 = one.json().getJsonArray("devices").getJsonObject(0);
    assertThat(device1.getInt("deviceId")).isEqualTo(1);
    assertThat(device1.getJsonObject("signedPreKey").getString("signature"))
        .isEqualTo(Bytes.base64(hal.signedPreKeySignature(1)));
    assertThat(device1.containsKey("oneTimePreKey")).isTrue();
    assertProblem(missing, 404, "unknown_device");
    assertThat(missing.json().getString("field")).isEqualTo("devices");
    assertProblem(unordered, 400, "invalid_request");
    assertThat(api().get("api/keys/one-time-prekeys/count", hals).json().getInt("count"))
        .as("one key taken, none by the refused requests")
        .isEqualTo(2);
  }

  @Test
  void invalidRegistrations_answer400_namingTheField() {
    TestUser user = TestUser.named("field");
    record Case(JsonObject body, String field) {}
    List<Case> cases =
        List.of(
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("username", "No")
                    .build(),
                "username"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("username", "UPPER")
                    .build(),
                "username"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("password", "short")
                    .build(),
                "password"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("password", "x".repeat(129))
                    .build(),
                "password"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("identityKey", "AAAA")
                    .build(),
                "identityKey"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add("identityKey", "not base64!")
                    .build(),
                "identityKey"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .remove("signedPreKey")
                    .build(),
                "signedPreKey"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .remove("identityDhKey")
                    .build(),
                "identityDhKey"),
            new Case(
                Json.createObjectBuilder(user.registration(0).build())
                    .add(
                        "signedPreKey",
                        Json.createObjectBuilder(user.signedPreKeyJson(1)).add("keyId", -1))
                    .build(),
                "signedPreKey.keyId"));
    for (Case c : cases) {
      Reply reply = api().post("api/accounts", null, c.body());
      assertProblem(reply, 400, "invalid_request");
      assertThat(reply.json().getString("field")).as(c.body().toString()).isEqualTo(c.field());
    }
  }

  @Test
  void malformedJson_answers400ProblemBody() {
    Reply reply = api().call("POST", "api/accounts", null, "{not json");
    assertProblem(reply, 400, "invalid_json");
    assertProblem(api().call("POST", "api/sessions", null, ""), 400, "invalid_json");
  }

  @Test
  void takenUsername_answers409() {
    TestUser bob = TestUser.named("bob");
    api().register(bob, 0);
    assertProblem(
        api().post("api/accounts", null, bob.registration(0).build()), 409, "username_taken");
  }

  @Test
  void badPreKeySignature_answers400_andCreatesNoAccount() {
    TestUser mallory = TestUser.named("mallory");
    JsonObject forged =
        Json.createObjectBuilder(mallory.signedPreKeyJson(1))
            .add(
                "signature",
                Bytes.base64(
                    Ed25519.sign(
                        Ed25519.generate(new SecureRandom()).privateKey(),
                        mallory.signedPreKey.publicKey())))
            .build();
    Reply reply =
        api()
            .post(
                "api/accounts",
                null,
                Json.createObjectBuilder(mallory.registration(0).build())
                    .add("signedPreKey", forged)
                    .build());
    assertProblem(reply, 400, "invalid_signature");
    assertThat(reply.json().getString("field")).isEqualTo("signedPreKey.signature");
    assertProblem(api().post("api/sessions", null, mallory.login()), 401, "invalid_credentials");
  }

  @Test
  void identityDhKeyNotSignedByTheIdentityKey_answers400() {
    TestUser trudy = TestUser.named("trudy");
    JsonObject unsigned =
        Json.createObjectBuilder(trudy.identityDhKeyJson())
            .add(
                "signature",
                Bytes.base64(
                    Ed25519.sign(trudy.identity.privateKey(), trudy.identityDh.publicKey())))
            .build();
    Reply reply =
        api()
            .post(
                "api/accounts",
                null,
                Json.createObjectBuilder(trudy.registration(0).build())
                    .add("identityDhKey", unsigned)
                    .build());
    assertProblem(reply, 400, "invalid_signature");
    assertThat(reply.json().getString("field")).isEqualTo("identityDhKey.signature");
  }

  @Test
  void wrongPassword_and_unknownUser_getTheSameAnswer() {
    TestUser carol = TestUser.named("carol");
    api().register(carol, 0);
    Reply wrong =
        api()
            .post(
                "api/sessions",
                null,
                Json.createObjectBuilder()
                    .add("username", carol.username)
                    .add("password", "wrong password!")
                    .build());
    Reply unknown = api().post("api/sessions", null, TestUser.named("ghost").login());
    assertProblem(wrong, 401, "invalid_credentials");
    assertThat(wrong.raw().body()).isEqualTo(unknown.raw().body());
  }

  @Test
  void repeatedLoginFailures_answer429WithRetryAfter() {
    TestUser dave = TestUser.named("dave");
    api().register(dave, 0);
    JsonObject wrong =
        Json.createObjectBuilder()
            .add("username", dave.username)
            .add("password", "wrong!!!!!!")
            .build();
    for (int i = 0; i < 5; i++) {
      assertThat(api().post("api/sessions", null, wrong).status()).isEqualTo(401);
    }
    Reply limited = api().post("api/sessions", null, dave.login());
    assertProblem(limited, 429, "rate_limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
  }

  @Test
  void protectedCalls_withoutOrWithBadToken_answer401() {
    TestUser erin = TestUser.named("erin");
    api().register(erin, 0);
    assertProblem(api().get("api/keys/" + erin.username, null), 401, "unauthorized");
    assertThat(api().get("api/keys/" + erin.username, null).header("WWW-Authenticate"))
        .startsWith("Bearer");
    assertProblem(api().get("api/keys/" + erin.username, "A".repeat(43)), 401, "unauthorized");
    assertProblem(api().get("api/keys/one-time-prekeys/count", "garbage"), 401, "unauthorized");
  }

  @Test
  void logout_makesTheTokenStopWorking() {
    TestUser frank = TestUser.named("frank");
    String token = api().signUp(frank);
    assertThat(api().get("api/keys/one-time-prekeys/count", token).status()).isEqualTo(200);
    assertThat(api().delete("api/sessions/current", token).status()).isEqualTo(204);
    assertProblem(api().get("api/keys/one-time-prekeys/count", token), 401, "unauthorized");
    assertProblem(api().delete("api/sessions/current", token), 401, "unauthorized");
  }

  @Test
  void bundle_handsOutEachOneTimePreKeyOnce_thenOmitsIt() {
    TestUser grace = TestUser.named("grace");
    api().register(grace, 2);
    String token = api().signUp(TestUser.named("heidi"));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      JsonObject bundle = api().get("api/keys/" + grace.username, token).json();
      assertThat(bundle.getString("identityKey"))
          .isEqualTo(Bytes.base64(grace.identity.publicKey()));
      assertThat(bundle.getJsonObject("identityDhKey")).isEqualTo(grace.identityDhKeyJson());
      assertThat(bundle.getJsonObject("signedPreKey").getString("signature"))
          .isEqualTo(Bytes.base64(grace.signedPreKeySignature));
      assertThat(bundle.getJsonObject("signedPreKey").getJsonNumber("createdAt").longValueExact())
          .isEqualTo(grace.signedPreKeyCreatedAt);
      assertThat(seen.add(bundle.getJsonObject("oneTimePreKey").getJsonNumber("keyId").longValue()))
          .isTrue();
    }
    JsonObject identity = api().get("api/keys/" + grace.username + "/identity", token).json();
    assertThat(identity.getString("identityKey"))
        .isEqualTo(Bytes.base64(grace.identity.publicKey()));
    assertThat(identity.getJsonObject("identityDhKey")).isEqualTo(grace.identityDhKeyJson());
    JsonObject exhausted = api().get("api/keys/" + grace.username, token).json();
    assertThat(exhausted.containsKey("oneTimePreKey")).isFalse();
    assertThat(exhausted.containsKey("signedPreKey")).isTrue();
  }

  @Test
  void concurrentBundleFetches_neverShareAOneTimePreKey() throws Exception {
    TestUser ivan = TestUser.named("ivan");
    api().register(ivan, 40);
    String token = api().signUp(TestUser.named("judy"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonObject>> fetches = new java.util.ArrayList<>();
      for (int i = 0; i < 48; i++) {
        fetches.add(pool.submit(() -> api().get("api/keys/" + ivan.username, token).json()));
      }
      List<Long> handedOut = new java.util.ArrayList<>();
      for (Future<JsonObject> f : fetches) {
        JsonObject bundle = f.get();
        if (bundle.containsKey("oneTimePreKey")) {
          handedOut.add(bundle.getJsonObject("oneTimePreKey").getJsonNumber("keyId").longValue());
        }
      }
      assertThat(handedOut).doesNotHaveDuplicates().hasSize(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownUserBundle_answers404() {
    String token = api().signUp(TestUser.named("kim"));
    assertProblem(
        api().get("api/keys/" + TestUser.named("nobody").username, token), 404, "unknown_user");
    assertProblem(
        api().get("api/keys/" + TestUser.named("nobody").username + "/identity", token),
        404,
        "unknown_user");
  }

  @Test
  void signedPreKeyRotation_checksTheSignature() {
    TestUser leo = TestUser.named("leo");
    String token = api().signUp(leo);
    X25519.KeyPair next = X25519.generate(new SecureRandom());
    long now = System.currentTimeMillis() / 1000;
    JsonObject good =
        Json.createObjectBuilder()
            .add("keyId", 2)
            .add("publicKey", Bytes.base64(next.publicKey()))
            .add("createdAt", now)
            .add(
                "signature",
                Bytes.base64(
                    Ed25519.sign(
                        leo.identity.privateKey(),
                        KeySignatures.signedPreKeyMessage(2, now, next.publicKey()))))
            .build();
    JsonObject bad =
        Json.createObjectBuilder(good)
            .add(
                "signature",
                Bytes.base64(Ed25519.sign(leo.identity.privateKey(), leo.signedPreKey.publicKey())))
            .build();
    assertProblem(api().put("api/keys/signed-prekey", token, bad), 400, "invalid_signature");
    // Protocol v1's signature (over the raw key) and a signature under another key id or time are
    // refused too.
    JsonObject version1 =
        Json.createObjectBuilder(good)
            .add(
                "signature",
                Bytes.base64(Ed25519.sign(leo.identity.privateKey(), next.publicKey())))
            .build();
    assertProblem(api().put("api/keys/signed-prekey", token, version1), 400, "invalid_signature");
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder(good).add("keyId", 3).build()),
        400,
        "invalid_signature");
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder(good).add("createdAt", now - 1).build()),
        400,
        "invalid_signature");
    assertProblem(
        api()
            .put(
                "api/keys/signed-prekey",
                token,
                Json.createObjectBuilder(good).add("createdAt", now + 2 * 86_400).build()),
        400,
        "invalid_request");
    JsonObject withoutTime = Json.createObjectBuilder(good).remove("createdAt").build();
    assertProblem(api().put("api/keys/signed-prekey", token, withoutTime), 400, "invalid_request");
    assertThat(api().put("api/keys/signed-prekey", token, good).status()).isEqualTo(204);
    String peer = api().signUp(TestUser.named("mia"));
    assertThat(
            api()
                .get("api/keys/" + leo.username, peer)
                .json()
                .getJsonObject("signedPreKey")
                .getString("publicKey"))
        .isEqualTo(Bytes.base64(next.publicKey()));
  }

  @Test
  void oneTimePreKeyReplenishment_isCounted_capped_andRefusesReusedIds() {
    TestUser nina = TestUser.named("nina");
    String token = api().signUp(nina);
    assertThat(api().get("api/keys/one-time-prekeys/count", token).json().getInt("count"))
        .isEqualTo(5);
    Reply added =
        api()
            .post(
                "api/keys/one-time-prekeys",
                token,
                Json.createObjectBuilder()
                    .add("preKeys", TestUser.oneTimePreKeys(100, 10))
                    .build());
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json().getInt("count")).isEqualTo(15);
    assertProblem(
        api()
            .post(
                "api/keys/one-time-prekeys",
                token,
                Json.createObjectBuilder().add("preKeys", TestUser.oneTimePreKeys(100, 1)).build()),
        409,
        "prekey_conflict");
    assertProblem(
        api()
            .post(
                "api/keys/one-time-prekeys",
                token,
                Json.createObjectBuilder()
                    .add("preKeys", TestUser.oneTimePreKeys(1000, 90))
                    .build()),
        400,
        "prekey_pool_full");
    assertThat(api().get("api/keys/one-time-prekeys/count", token).json().getInt("count"))
        .isEqualTo(15);
  }

  @Test
  void serverKey_isPublishedWithItsFingerprint() {
    JsonObject key = api().get("api/server-key", null).json();
    byte[] publicKey = Bytes.fromBase64(key.getString("publicKey"));
    assertThat(publicKey).hasSize(32);
    assertThat(key.getString("fingerprint")).isEqualTo(Fingerprint.of(publicKey));
    assertThat(key.getString("algorithm")).isEqualTo("Ed25519");
  }

  @Test
  void operations_health_metrics_andOpenApi_answer() {
    Reply health = api().get("/health/ready", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.raw().body()).contains("database").contains("UP");
    assertThat(api().get("/metrics", null).raw().body()).contains("securecom_channel_handshake");
    assertThat(api().get("/openapi", null).raw().body()).contains("/api/accounts");
  }

  @Test
  void unknownPath_answersProblem404() {
    assertProblem(api().get("api/nothing-here", null), 404, "http_404");
  }
}
