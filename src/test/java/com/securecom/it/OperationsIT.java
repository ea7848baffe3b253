package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.server.web.Problem;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees, on a server of its own whose only storage setting is {@code
 * securecom.data.dir} (docs/operations.md): the data directory private to the server, counters and
 * audit lines for logins, failures, registrations, throttles and channel errors without secrets, a
 * handshake metric in one unit, an OpenAPI document with every status and the bearer scheme, and a
 * start-up log without container noise.
 */
class OperationsIT {
  private static final String PASSWORD_MARK = "Correct-Horse-Battery-";
  private static Path work;
  private static PayaraServer server;

  @BeforeAll
  static void start() throws Exception {
    work =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "it").toAbsolutePath()), "operations-");
    server =
        PayaraServer.start(
            work,
            Map.of(
                "securecom.data.dir", work.resolve("state/data").toString(),
                "securecom.login.free-failures", "1",
                "securecom.login.backoff-base", "PT60S"),
            // as deploy/securecom.service, the Dockerfile and the README's start command run it
            List.of(
                "--logproperties",
                Path.of("deploy", "logging.properties").toAbsolutePath().toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Api api() {
    return server.api();
  }

  @Test
  void dataDirectory_holdsTheDatabaseAndTheKey_readableOnlyByTheServer() throws Exception {
    api().signUp(TestUser.named("perm")); // the database has been written to
    Path data = work.resolve("state/data");
    assertThat(data.resolve("securecom.mv.db")).exists();
    assertThat(data.resolve("server-identity.key")).exists();
    assertThat(work.resolve("data")).as("nothing under the working directory").doesNotExist();
    BackupRestoreIT.assertPrivate(data);
  }

  @Test
  void loginsFailuresRegistrationsThrottlesAndChannelErrors_areCountedAndLogged_withoutSecrets()
      throws Exception {
    TestUser user = TestUser.named("audited");
    api().signUp(user);
    assertThat(
            api()
                .post(
                    "api/sessions",
                    null,
                    Json.createObjectBuilder(user.login()).add("device", 2).build())
                .status())
        .as("the right password for a device the account does not have")
        .isEqualTo(403);
    assertThat(
            api()
                .put(
                    "api/devices/list",
                    api().login(user),
                    user.deviceListUpload(user.identity, 1, 1, 1))
                .status())
        .isEqualTo(204);
    String wrong = PASSWORD_MARK + "wrong";
    assertThat(login(user.username, wrong)).isEqualTo(401);
    assertThat(login(user.username, wrong)).isEqualTo(429); // free-failures=1, then a 60 s wait
    String typedAsName = "nosuch" + PASSWORD_MARK.toLowerCase().replace("-", "");
    assertThat(login(typedAsName, PASSWORD_MARK + "x")).isEqualTo(401);
    try (ChannelClient client = ChannelClient.connect(api())) {
      client.sendRaw(new byte[] {1, 2, 3}); // not a handshake
      assertThat(client.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }

    String metrics = api().get("/metrics", null).raw().body();
    assertThat(metric(metrics, "securecom_logins_total", "outcome=\"succeeded\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(metrics, "securecom_logins_total", "outcome=\"failed\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(metric(metrics, "securecom_registrations_total", null)).isGreaterThanOrEqualTo(1);
    assertThat(metric(metrics, "securecom_rate_limited_total", "operation=\"login\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(metrics, "securecom_channel_closed_total", "code=\"1007\""))
        .isGreaterThanOrEqualTo(1);

    String log = awaitLog("channel closed code=1007");
    assertThat(log)
        .contains("registered user=" + user.username + " address=127.0.0.1")
        .contains("login succeeded user=" + user.username + " device=1 address=127.0.0.1")
        .contains("device list stored user=" + user.username + " serial=1 address=127.0.0.1")
        .contains(
            "login refused user="
                + user.username
                + " device=2 reason=device_removed address=127.0.0.1")
        .contains("login failed user=" + user.username + " address=127.0.0.1")
        .contains("login failed user=(no such account) address=127.0.0.1")
        .contains("rate limited operation=login address=127.0.0.1")
        .doesNotContain(PASSWORD_MARK)
        .doesNotContain(typedAsName)
        .doesNotContain(user.password);
  }

  @Test
  void handshakeMetric_hasOneUnit_forQuantilesAndSum() throws Exception {
    TestUser user = TestUser.named("timed");
    try (ChannelClient client = ChannelClient.open(api(), api().signUp(user))) {
      client.sync();
    }
    String metrics = api().get("/metrics", null).raw().body();
    String name = "securecom_channel_handshake_microseconds";
    double median = metric(metrics, name, "quantile=\"0.5\"");
    double max = metric(metrics, name + "_max", null);
    double sum = metric(metrics, name + "_sum", null);
    double count = metric(metrics, name + "_count", null);
    assertThat(count).isGreaterThanOrEqualTo(1);
    // microseconds: a handshake takes more than 10 µs and less than 10 s here
    assertThat(median).isBetween(10.0, 1e7);
    assertThat(sum / count).isBetween(10.0, 1e7);
    assertThat(max).isGreaterThanOrEqualTo(median).isLessThanOrEqualTo(sum);
  }

  @Test
  void openApi_declaresEveryStatus_andTheBearerScheme() {
    String document = api().get("/openapi", null).raw().body();
    assertThat(document).doesNotContain("Default Response");
    assertThat(document).containsPattern("securitySchemes:\\s+bearer:\\s+type: http");
    assertThat(document).contains("scheme: bearer");
    for (String status : new String[] {"\"201\"", "\"401\"", "\"409\"", "\"413\"", "\"429\""}) {
      assertThat(document).contains(status);
    }
    assertThat(document).contains("application/problem+json");
  }

  /**
   * Error statuses of a few operations, as docs/protocol.md lists them: each must be documented,
   * none more, and each must resolve (through {@code $ref}s into the components, which is how the
   * shared ones are written) to a problem+json body whose schema is the {@link Problem} record's.
   */
  @Test
  void openApi_errorStatuses_resolveToTheProblemSchema() {
    JsonObject document = api().get("openapi?format=JSON", null).json();
    JsonObject problem =
        resolve(
            document,
            Json.createObjectBuilder().add("$ref", "#/components/schemas/Problem").build());
    assertThat(problem.getJsonObject("properties").keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Problem.class.getRecordComponents())
                .map(RecordComponent::getName)
                .toList());
    Map<String, List<String>> errors =
        Map.ofEntries(
            Map.entry("post /api/accounts", List.of("400", "409", "413", "429", "500")),
            Map.entry("post /api/sessions", List.of("400", "401", "403", "413", "429", "500")),
            Map.entry("delete /api/sessions/current", List.of("400", "401", "500")),
            Map.entry("get /api/keys/{username}", List.of("400", "401", "404", "429", "500")),
            Map.entry("put /api/keys/signed-prekey", List.of("400", "401", "413", "500")),
            Map.entry("get /api/server-key", List.of("400", "500")),
            Map.entry(
                "get /api/keys/{username}/identity", List.of("400", "401", "404", "429", "500")),
            Map.entry("get /api/devices/{username}", List.of("400", "401", "404", "429", "500")),
            Map.entry("put /api/devices/list", List.of("400", "401", "409", "413", "429", "500")),
            Map.entry("post /api/devices/tickets", List.of("400", "401", "429", "500")),
            Map.entry("post /api/devices", List.of("400", "401", "409", "413", "429", "500")),
            Map.entry("post /api/links", List.of("400", "409", "413", "429", "500")),
            Map.entry(
                "put /api/links/{mailbox}",
                List.of("400", "401", "404", "409", "413", "429", "500")),
            Map.entry("get /api/links/{mailbox}", List.of("400", "404", "429", "500")));
    errors.forEach(
        (operation, statuses) -> {
          String[] methodAndPath = operation.split(" ");
          JsonObject responses =
              document
                  .getJsonObject("paths")
                  .getJsonObject(methodAndPath[1])
                  .getJsonObject(methodAndPath[0])
                  .getJsonObject("responses");
          assertThat(new TreeSet<>(responses.keySet()).tailSet("4"))
              .as(operation)
              .containsExactlyElementsOf(statuses);
          for (String status : statuses) {
            JsonObject response = resolve(document, responses.getJsonObject(status));
            assertThat(response.getString("description")).as(operation + " " + status).isNotBlank();
            JsonObject content = response.getJsonObject("content");
            assertThat(content.keySet())
                .as(operation + " " + status)
                .containsExactly(Problem.MEDIA);
            assertThat(
                    resolve(document, content.getJsonObject(Problem.MEDIA).getJsonObject("schema")))
                .as(operation + " " + status)
                .isEqualTo(problem);
          }
        });
    // A body's 400 names the body's codes and the path's: one entry per status (a second 400 in
    // the annotations would silently replace the first).
    for (String operation : new String[] {"/api/accounts", "/api/sessions"}) {
      JsonObject badRequest =
          resolve(
              document,
              document
                  .getJsonObject("paths")
                  .getJsonObject(operation)
                  .getJsonObject("post")
                  .getJsonObject("responses")
                  .getJsonObject("400"));
      assertThat(badRequest.getString("description"))
          .contains("invalid_path", "invalid_json", "invalid_request");
    }
  }

  /**
   * No schema anywhere in the document forbids the properties it lists (Payara writes {@code
   * maxProperties: 0} into schemas built from classes; OpenApiSchemaFilter takes it out).
   */
  @Test
  void openApi_schemas_allowTheirOwnProperties() {
    List<String> contradictions = new ArrayList<>();
    collectContradictions(api().get("openapi?format=JSON", null).json(), "#", contradictions);
    assertThat(contradictions).isEmpty();
  }

  private static void collectContradictions(JsonValue node, String at, List<String> found) {
    if (node instanceof JsonObject object) {
      if (object.containsKey("properties")
          && object.getInt("maxProperties", Integer.MAX_VALUE)
              < object.getJsonObject("properties").size()) {
        found.add(at);
      }
      object.forEach((name, value) -> collectContradictions(value, at + "/" + name, found));
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        collectContradictions(array.get(i), at + "/" + i, found);
      }
    }
  }

  /** {@code node}, or what its {@code $ref} (a pointer into this document) names, followed. */
  private static JsonObject resolve(JsonObject document, JsonObject node) {
    for (int hops = 0; node.containsKey("$ref"); hops++) {
      assertThat(hops).as("a $ref chain").isLessThan(8);
      String ref = node.getString("$ref");
      assertThat(ref).startsWith("#/");
      JsonValue target = document;
      for (String name : ref.substring(2).split("/")) {
        assertThat(target.asJsonObject()).as(ref).containsKey(name);
        target = target.asJsonObject().get(name);
      }
      node = target.asJsonObject();
    }
    return node;
  }

  /**
   * No expired-CA dumps (deploy/logging.properties), and no "failed to unregister" warning for
   * PostgreSQL's JDBC driver, which Payara's leak prevention itself service-loaded from the WAR
   * while deploying: the WAR ships the driver without its service entry
   * (docs/upstream/payara-jdbc-leak-prevention-registers-drivers.md). H2's warning remains: Payara
   * Micro's own runtime has an H2 jar with the service entry, and the WAR's class loader, child
   * first, defines the class it names from the WAR's copy.
   */
  @Test
  void startUpLog_hasNoExpiredCertificateDumps_norPostgresqlDriverWarning() throws Exception {
    String log = server.logText();
    assertThat(log).contains("Payara Micro");
    assertThat(log).doesNotContain("has expired").doesNotContainPattern("(?m)^0000: ");
    assertThat(log).doesNotContain("registered the JDBC driver [org.postgresql.Driver]");
  }

  private static int login(String username, String password) {
    return api()
        .post(
            "api/sessions",
            null,
            Json.createObjectBuilder().add("username", username).add("password", password).build())
        .status();
  }

  private static String awaitLog(String line) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String log = server.logText();
    while (!log.contains(line) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      log = server.logText();
    }
    return log;
  }

  /** The value of {@code name} (with a label matching {@code label}, if given). */
  private static double metric(String metrics, String name, String label) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
            .matcher(metrics);
    while (m.find()) {
      if (label == null || (m.group(1) != null && m.group(1).contains(label))) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no metric " + name + " " + label + " in\n" + metrics);
  }
}
