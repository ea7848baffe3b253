package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.net.TinyHttpServer;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileStore;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code securecom devices} and {@code devices remove}, in-process against a REST server in this
 * JVM that plays the server, honest or not: the list shown and removed from is only ever one that
 * alice's identity key signed and that follows the one her profile pinned.
 */
class DevicesCommandTest {
  private static final long NOW = Instant.now().getEpochSecond();

  @TempDir Path home;

  private TinyHttpServer server;
  private InProcessCli cli;

  @BeforeEach
  void registerAlice() throws Exception {
    server = InProcessCli.accountServer();
    cli = InProcessCli.withSecrets(home);
    assertThat(run("register", "alice").exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private InProcessCli.Result run(String... args) {
    List<String> full = new ArrayList<>(List.of("--server", server.uri().toString()));
    full.addAll(List.of(args));
    return cli.run(full.toArray(String[]::new));
  }

  private Path profile() {
    return home.resolve("127.0.0.1_" + server.uri().getPort()).resolve("alice");
  }

  private JsonObject state() throws Exception {
    try (OpenProfile open = ProfileStore.open(profile(), InProcessCli.PASSPHRASE.toCharArray())) {
      return open.state();
    }
  }

  /** Makes alice's profile device {@code id} of her account, as if it had been linked as such. */
  private void becomeDevice(int id) throws Exception {
    try (OpenProfile open = ProfileStore.open(profile(), InProcessCli.PASSPHRASE.toCharArray())) {
      open.write(Json.createObjectBuilder(open.state()).add("deviceId", id).build());
    }
  }

  private byte[] alicesSigningKey() throws Exception {
    return Bytes.fromBase64(state().getJsonObject("identity").getString("signing"));
  }

  /**
   * A list of alice's devices {@code ids}, naming her identity key, signed by {@code signer};
   * device d was linked 10 - d days ago.
   */
  private SignedDeviceList list(byte[] signer, long serial, int lastDeviceId, Integer... ids)
      throws Exception {
    List<DeviceEntry> entries = new ArrayList<>();
    for (int id : ids) {
      entries.add(new DeviceEntry(id, NOW - 86_400L * (10 - id)));
    }
    byte[] alicesKey = Ed25519.publicKey(alicesSigningKey());
    byte[] body = DeviceList.of("alice", alicesKey, serial, NOW, lastDeviceId, entries).encode();
    return new SignedDeviceList(body, Ed25519.sign(signer, body));
  }

  private SignedDeviceList alicesList(long serial, int lastDeviceId, Integer... ids)
      throws Exception {
    return list(alicesSigningKey(), serial, lastDeviceId, ids);
  }

  private static JsonObject row(int id, String name, long queued) {
    JsonObjectBuilder row =
        Json.createObjectBuilder()
            .add("deviceId", id)
            .add("createdAt", Instant.ofEpochSecond(NOW).toString())
            .add("lastSeenAt", Instant.ofEpochSecond(NOW - 3 * 86_400).toString())
            .add("queued", queued)
            .add("queuedBytes", queued * 1000);
    if (name != null) {
      row.add("name", name);
    }
    return row.build();
  }

  /** What {@code GET /api/devices} answers from now on: {@code list} (null: none) and rows. */
  private JsonObject devices(SignedDeviceList list, JsonObject... rows) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObject row : rows) {
      array.add(row);
    }
    JsonObjectBuilder answer =
        Json.createObjectBuilder()
            .add("username", "alice")
            .add("maxDevices", 6)
            .add("devices", array);
    if (list != null) {
      answer.add(
          "deviceList",
          Json.createObjectBuilder()
              .add("body", Bytes.base64(list.body()))
              .add("signature", Bytes.base64(list.signature())));
    }
    return answer.build();
  }

  private void serve(SignedDeviceList list, JsonObject... rows) {
    server.answer("GET", "/api/devices", 200, devices(list, rows).toString());
  }

  /** The list alice's profile pinned for her own account (null: none, a legacy account). */
  private String pinnedBody() throws Exception {
    JsonObject lists = state().getJsonObject("deviceLists");
    return lists.containsKey("alice") ? lists.getJsonObject("alice").getString("body") : null;
  }

  private List<TinyHttpServer.Request> uploads() {
    return server.requests().stream().filter(r -> r.method().equals("PUT")).toList();
  }

  @Test
  void devices_listsTheSignedDevices_marksThisOne_andPinsTheList() throws Exception {
    SignedDeviceList two = alicesList(1, 2, 1, 2);
    serve(two, row(1, null, 0), row(2, "laptop", 12));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("ID  CREATED +LAST SEEN +QUEUED +NAME");
    assertThat(lines.get(1))
        .matches("1   \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  now +0 +\\(this device\\)");
    assertThat(lines.get(2))
        .matches("2   \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  3 days ago +12 +laptop");
    assertThat(pinnedBody()).isEqualTo(Bytes.base64(two.body()));
    assertThat(server.requests())
        .filteredOn(r -> r.path().equals("/api/devices"))
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer token-1"));
  }

  @Test
  void aLegacyAccount_listsDevice1_asTheServerReportsIt() throws Exception {
    serve(null, row(1, null, 4));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().skip(1))
        .singleElement()
        .asString()
        .matches("1   \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  now +4 +\\(this device\\)");
    assertThat(pinnedBody()).isNull();
  }

  @Test
  void aListTheIdentityKeyDidNotSign_exits12_showsNothing_andKeepsThePin() throws Exception {
    SignedDeviceList pinned = alicesList(1, 2, 1, 2);
    serve(pinned, row(1, null, 0), row(2, "laptop", 0));
    assertThat(run("devices").exitCode()).isZero();
    byte[] mallory = Ed25519.generate(new SecureRandom()).privateKey();
    serve(list(mallory, 2, 3, 1, 2, 3), row(1, null, 0), row(2, "laptop", 0), row(3, "evil", 0));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "securecom: the server presents a device list for alice that your identity key did"
                + " not sign (badSignature); it is not used, and this device keeps the list it"
                + " trusts"
                + System.lineSeparator());
    assertThat(pinnedBody()).isEqualTo(Bytes.base64(pinned.body()));
  }

  @Test
  void anOlderList_bringingBackARemovedDevice_exits12_andKeepsThePin() throws Exception {
    SignedDeviceList older = alicesList(1, 2, 1, 2);
    SignedDeviceList pinned = alicesList(2, 2, 1);
    serve(pinned, row(1, null, 0));
    assertThat(run("devices").exitCode()).isZero();
    serve(older, row(1, null, 0), row(2, "laptop", 0));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("does not follow the one this device trusts (rollback)");
    assertThat(pinnedBody()).isEqualTo(Bytes.base64(pinned.body()));
  }

  @Test
  void aDeviceNoSignedListNames_isNotListed_andExits12() throws Exception {
    serve(alicesList(1, 2, 1, 2), row(1, null, 0), row(2, "laptop", 0), row(3, "added", 0));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNTRUSTED_DEVICE_LIST);
    assertThat(result.out().lines().skip(1)).hasSize(2).noneMatch(l -> l.contains("added"));
    assertThat(result.err())
        .contains("the server also reports device(s) [3] of account alice, which your identity key")
        .contains("has not signed: they get none of your messages");
  }

  @Test
  void aNameWithTerminalControls_printsDefused_onOneLine() throws Exception {
    String hostile = "evil\u001b[2J\u009b31m\u202Etxt.exe\nrm -rf ~\u0007";
    serve(alicesList(1, 2, 1, 2), row(1, null, 0), row(2, hostile, 0));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines()).hasSize(3);
    assertThat(result.out().lines().toList().get(2))
        .endsWith("evil\uFFFD[2J\uFFFD31m\uFFFDtxt.exe\uFFFDrm -rf ~\uFFFD");
    assertThat(result.out()).doesNotContain("\u001b", "\u009b", "\u202E", "\u0007");
  }

  @Test
  void aSignedListWithoutThisDevice_exits13_sayingItWasRemoved() throws Exception {
    serve(alicesList(1, 2, 2), row(2, "laptop", 0));

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.DEVICE_REMOVED);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("securecom: this device was removed from account alice; it no longer sends");
  }

  @Test
  void remove_signsTheListWithoutTheDevice_storesIt_andPinsIt() throws Exception {
    SignedDeviceList two = alicesList(4, 3, 1, 3);
    serve(two, row(1, null, 0), row(3, "laptop", 0));
    server.answer("PUT", "/api/devices/list", 204, "");

    InProcessCli.Result result = run("devices", "remove", "3", "--yes");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Removed device 3." + System.lineSeparator());
    JsonObject uploaded =
        Json.createReader(new StringReader(uploads().get(0).body()))
            .readObject()
            .getJsonObject("deviceList");
    SignedDeviceList stored =
        new SignedDeviceList(
            Bytes.fromBase64(uploaded.getString("body")),
            Bytes.fromBase64(uploaded.getString("signature")));
    DeviceList removal = stored.verify("alice", Ed25519.publicKey(alicesSigningKey()));
    assertThat(removal.serial()).isEqualTo(5);
    assertThat(removal.lastDeviceId()).as("ids are never given again").isEqualTo(3);
    assertThat(removal.entries()).containsExactly(DeviceList.parse(two.body()).entry(1));
    assertThat(uploads().get(0).authorization()).isEqualTo("Bearer token-1");
    assertThat(pinnedBody()).isEqualTo(uploaded.getString("body"));
  }

  @Test
  void remove_asksFirst_andAnythingButYes_removesNothing() throws Exception {
    serve(alicesList(1, 2, 1, 2), row(1, null, 0), row(2, "laptop", 0));
    server.answer("PUT", "/api/devices/list", 204, "");

    InProcessCli.Result no = cli.answering("n\n").run(serverArgs("devices", "remove", "2"));
    assertThat(no.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(no.out())
        .isEqualTo(
            "Remove device 2 (laptop)? It will no longer receive your messages. [y/N] "
                + "Nothing was removed."
                + System.lineSeparator());
    InProcessCli.Result noAnswer = cli.answering("").run(serverArgs("devices", "remove", "2"));
    assertThat(noAnswer.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(uploads()).isEmpty();

    InProcessCli.Result yes = cli.answering("y\n").run(serverArgs("devices", "remove", "2"));
    assertThat(yes.exitCode()).as(yes.err()).isZero();
    assertThat(yes.out()).endsWith("[y/N] Removed device 2." + System.lineSeparator());
    assertThat(uploads()).hasSize(1);
  }

  private String[] serverArgs(String... args) {
    List<String> full = new ArrayList<>(List.of("--server", server.uri().toString()));
    full.addAll(List.of(args));
    return full.toArray(String[]::new);
  }

  @Test
  void removingThisDevice_anUnknownOne_orNoDeviceAtAll_exits2_andSendsNothing() throws Exception {
    serve(alicesList(1, 2, 1, 2), row(1, null, 0), row(2, "laptop", 0));
    server.answer("PUT", "/api/devices/list", 204, "");

    InProcessCli.Result self = run("devices", "remove", "1", "--yes");
    assertThat(self.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(self.err())
        .isEqualTo(
            "securecom: device 1 is this device; remove it from another of your devices"
                + System.lineSeparator());

    InProcessCli.Result unknown = run("devices", "remove", "7", "--yes");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .isEqualTo(
            "securecom: account alice has no device 7; 'securecom devices' lists them"
                + System.lineSeparator());

    for (String notAnId : List.of("0", "-1", "1000000000", "two")) {
      InProcessCli.Result malformed = run("devices", "remove", notAnId, "--yes");
      assertThat(malformed.exitCode()).as(notAnId).isEqualTo(ExitCodes.USAGE);
      assertThat(malformed.err()).as(notAnId).contains("is not a device id");
    }
    assertThat(uploads()).isEmpty();
  }

  @Test
  void aLinkedDevice_removesDevice1_andItsLoginNamesItsOwnDevice() throws Exception {
    becomeDevice(2);
    serve(alicesList(1, 2, 1, 2), row(1, "desktop", 0), row(2, "laptop", 0));
    server.answer("PUT", "/api/devices/list", 204, "");

    InProcessCli.Result list = run("devices");
    assertThat(list.out().lines().toList().get(2)).endsWith("laptop (this device)");
    assertThat(run("devices", "remove", "1", "--yes").exitCode()).isZero();
    assertThat(run("login").exitCode()).isZero();

    JsonObject login =
        Json.createReader(
                new StringReader(
                    server.requests().stream()
                        .filter(r -> r.path().equals("/api/sessions"))
                        .reduce((first, second) -> second)
                        .orElseThrow()
                        .body()))
            .readObject();
    assertThat(login.getInt("device")).isEqualTo(2);
  }

  @Test
  void aConflictingUpload_isBuiltOnceMoreOnTheListStoredMeanwhile() throws Exception {
    SignedDeviceList before = alicesList(1, 2, 1, 2);
    SignedDeviceList linkedMeanwhile = alicesList(2, 3, 1, 2, 3);
    server
        .answerOnce("GET", "/api/devices", 200, devices(before).toString())
        .answerOnce("GET", "/api/devices", 200, devices(before).toString())
        .answer("GET", "/api/devices", 200, devices(linkedMeanwhile).toString())
        .answerOnce(
            "PUT",
            "/api/devices/list",
            409,
            "{\"code\":\"list_conflict\",\"detail\":\"not the successor\"}")
        .answer("PUT", "/api/devices/list", 204, "");

    InProcessCli.Result result = run("devices", "remove", "2", "--yes");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(uploads()).hasSize(2);
    JsonObject second =
        Json.createReader(new StringReader(uploads().get(1).body()))
            .readObject()
            .getJsonObject("deviceList");
    DeviceList removal = DeviceList.parse(Bytes.fromBase64(second.getString("body")));
    assertThat(removal.serial()).isEqualTo(3);
    assertThat(removal.deviceIds()).containsExactly(1, 3);
  }

  @Test
  void aLoginRefusedAsARemovedDevice_exits13_sayingSo() {
    server.answer(
        "POST",
        "/api/sessions",
        403,
        "{\"code\":\"device_removed\",\"detail\":\"the account has no such device\"}");

    InProcessCli.Result result = run("login");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.DEVICE_REMOVED);
    assertThat(result.err())
        .isEqualTo(
            "securecom: this device was removed from account alice; it no longer sends or"
                + " receives messages"
                + System.lineSeparator());
  }

  @Test
  void aSessionTheServerNoLongerAccepts_exits5_andSaysHowToFindOutWhy() {
    server.answer(
        "GET",
        "/api/devices",
        401,
        "{\"code\":\"unauthorized\",\"detail\":\"a valid bearer token is required\"}");

    InProcessCli.Result result = run("devices");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_AUTHENTICATED);
    assertThat(result.err())
        .contains("another of your devices removed this one; 'securecom login' says which");
  }
}
