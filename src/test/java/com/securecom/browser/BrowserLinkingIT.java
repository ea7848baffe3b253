package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.browser.support.CliClient;
import com.securecom.browser.support.ProfileDatabase;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.devices.ProvisioningCipher;
import com.securecom.testkit.CliProcess;
import io.nayuki.qrcodegen.QrCode;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * "Link this browser to an existing account" (docs/protocol.md, "The new device's steps") in
 * headless Chromium against the built WAR: linked by the command-line client's {@code securecom
 * devices link}, then chatting as the account's device 2 beside it; and linked, or refused, by
 * provisioning messages this test seals itself through the real mailbox, so that each of the new
 * device's checks is seen to keep nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserLinkingIT {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String DOES_NOT_MATCH =
      "The link failed: the message does not match this code.";
  private static final String CODE_GONE =
      "The link failed: the code expired or was used; start again.";
  private static final SecureRandom RANDOM = new SecureRandom();

  @RegisterExtension static final Browsers browsers = new Browsers();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // --- end to end with the command-line client ------------------------------------------------

  @Test
  void browserLinkedByTheCommandLine_chatsAsDevice2_besideIt() throws Exception {
    Cli alice = new Cli(base, name("alice"));
    Cli bob = new Cli(base, name("bob"));
    alice.run("", "register", alice.username).orThrow();
    bob.run("", "register", bob.username).orThrow();
    bob.run("", "send", alice.username, "Hi Alice, before you linked a browser.").orThrow();
    assertThat(alice.run("", "receive", "--json").orThrow().json("message"))
        .extracting(j -> j.getString("text"))
        .containsExactly("Hi Alice, before you linked a browser.");
    String numberBefore = bob.run("", "fingerprint", alice.username).orThrow().out();

    ChatPage page = open("alice-browser");
    String text = showCode(page);
    assertThat(text).matches("([0-9A-HJKMNP-TV-Z]{5}-){15}[0-9A-HJKMNP-TV-Z]{5}");
    LinkCode code = LinkCode.read(text);
    assertThat(qrModules(page)).isEqualTo(javaQrModules(code.qrText()));
    Browsers.screenshot(page.driver, "link-this-browser");

    CompletableFuture<CliProcess.Result> linking =
        CompletableFuture.supplyAsync(() -> alice.run("y\n", "devices", "link", text));
    page.waitConnected();
    CliProcess.Result linked = linking.get(2, TimeUnit.MINUTES);
    assertThat(linked.exitCode()).as(linked.toString()).isZero();
    assertThat(linked.out()).contains("Linked device 2.");
    assertThat(page.driver.findElement(By.id("me")).getText()).isEqualTo(alice.username);
    assertThat(page.script("return document.getElementById('link-code-text').textContent"))
        .isEqualTo("");
    assertThat(bob.run("", "fingerprint", alice.username).orThrow().out()).isEqualTo(numberBefore);

    // Bob's message reaches both of Alice's devices; the contact came with the link.
    bob.run("", "send", alice.username, "Hello to both of your devices.").orThrow();
    page.openConversation(bob.username).waitIncoming("Hello to both of your devices.");
    assertThat(alice.run("", "receive", "--json").orThrow().json("message"))
        .extracting(j -> j.getString("text"))
        .containsExactly("Hello to both of your devices.");

    // A reply from the browser reaches Bob, and Alice's command line sees it as sent.
    page.send("Replying from my new browser.");
    page.waitState("Replying from my new browser.", "sent");
    assertThat(bob.run("", "receive", "--json").orThrow().json("message"))
        .extracting(j -> j.getString("from") + ": " + j.getString("text"))
        .containsExactly(alice.username + ": Replying from my new browser.");
    assertThat(alice.run("", "receive", "--json").orThrow().json("transcript"))
        .extracting(j -> j.getString("to") + ": " + j.getString("text") + " #" + j.getInt("device"))
        .containsExactly(bob.username + ": Replying from my new browser. #2");

    // Later logins are device 2's, with the account's password.
    page.logout();
    page.login(alice.username, PASSWORD).waitConnected();
    page.openConversation(bob.username).waitIncoming("Hello to both of your devices.");

    // Alice unlinks the browser from her command line: the page is told (4410), its token is
    // dead, device 2 cannot log in again, and Bob's next message reaches the command line only.
    ProfileDatabase.recordTokens(page);
    page.load().waitConnected();
    ProfileDatabase profile = new ProfileDatabase(page, base);
    page.waitUntil("the page used its token", () -> !profile.tokensSeen().isEmpty());
    String browserToken = profile.tokensSeen().get(0);
    assertThat(api().get("api/devices", browserToken).status()).isEqualTo(200);
    CliProcess.Result removed = alice.run("", "devices", "remove", "2", "--yes");
    assertThat(removed.exitCode()).as(removed.toString()).isZero();
    page.waitUntil(
        "the page knows it was removed", () -> "removed".equals(page.connectionStatus()));
    assertThat(page.banner()).contains("This browser was removed from your account");
    assertThat(api().get("api/devices", browserToken).status()).isEqualTo(401);
    assertThat(
            api()
                .post(
                    "api/sessions",
                    null,
                    Json.createObjectBuilder()
                        .add("username", alice.username)
                        .add("password", PASSWORD)
                        .add("device", 2)
                        .build())
                .status())
        .isEqualTo(403);
    bob.run("", "send", alice.username, "Only your command line now.").orThrow();
    assertThat(alice.run("", "receive", "--json").orThrow().json("message"))
        .extracting(j -> j.getString("text"))
        .containsExactly("Only your command line now.");
    assertThat(page.message("in", "Only your command line now.")).isEmpty();
    assertThat(bob.run("", "fingerprint", alice.username).orThrow().out()).isEqualTo(numberBefore);
  }

  // --- provisioning messages sealed by the test -----------------------------------------------

  @Test
  void validMessage_linksTheBrowserAsDevice2_withTheContactsItCarries() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    Account carol = Account.signUp(api(), "carol");
    ChatPage page = open("linked");
    LinkCode code = LinkCode.read(showCode(page));
    JsonObject contact =
        Json.createObjectBuilder()
            .add("username", carol.user.username)
            .add("identityKey", Bytes.base64(carol.user.identity.publicKey()))
            .add("identityDhKey", carol.user.identityDhKeyJson())
            .add("verified", true)
            .build();
    alice.deliver(code, alice.plaintext(alice.ticket(), api().serverKey(), contact), m -> m);

    page.waitConnected();
    assertThat(page.driver.findElement(By.id("me")).getText()).isEqualTo(alice.user.username);
    assertThat(page.contactText(carol.user.username)).contains(carol.user.username);
    assertThat(localRecords(page)).containsEntry("accounts", 1L).containsEntry("contacts", 1L);
    JsonObject devices = api().get("api/devices", alice.token).json();
    assertThat(devices.getJsonArray("devices"))
        .extracting(d -> d.asJsonObject().getInt("deviceId"))
        .containsExactly(1, 2);
  }

  @Test
  void messageSealedToAnotherCode_keepsNothing_andSaysSo() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    ChatPage page = open("another-code");
    LinkCode code = LinkCode.read(showCode(page));
    LinkCode other = new LinkCode(X25519.generate(RANDOM).publicKey(), secret(), code.expiresAt());
    byte[] message =
        ProvisioningCipher.seal(
            other,
            X25519.generate(RANDOM).privateKey(),
            1,
            2,
            alice.user.username,
            alice.plaintext(alice.ticket(), api().serverKey()));
    alice.put(code, message);
    assertRefused(page, DOES_NOT_MATCH, alice);
  }

  @Test
  void messageWithABitFlipped_keepsNothing_andSaysSo() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    ChatPage page = open("bit-flipped");
    LinkCode code = LinkCode.read(showCode(page));
    alice.deliver(
        code,
        alice.plaintext(alice.ticket(), api().serverKey()),
        m -> {
          m[m.length - 40] ^= 0x04; // in the ciphertext
          return m;
        });
    assertRefused(page, DOES_NOT_MATCH, alice);
  }

  @Test
  void identityThatDoesNotMatchItsDhKey_keepsNothing() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    ChatPage page = open("wrong-identity");
    LinkCode code = LinkCode.read(showCode(page));
    byte[] plaintext =
        new String(alice.plaintext(alice.ticket(), api().serverKey()), StandardCharsets.UTF_8)
            .replace(
                Bytes.base64(alice.user.identityDh.privateKey()),
                Bytes.base64(X25519.generate(RANDOM).privateKey()))
            .getBytes(StandardCharsets.UTF_8);
    alice.deliver(code, plaintext, m -> m);
    assertRefused(page, DOES_NOT_MATCH, alice);
  }

  @Test
  void otherServerKey_isNotLinked() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    ChatPage page = open("other-server");
    LinkCode code = LinkCode.read(showCode(page));
    alice.deliver(
        code, alice.plaintext(alice.ticket(), Ed25519.generate(RANDOM).publicKey()), m -> m);
    assertRefused(page, "The other device trusts a different server key; not linking.", alice);
  }

  @Test
  void ticketTheServerRefuses_deletesWhatWasSaved() throws Exception {
    Account alice = Account.signUp(api(), "alice");
    ChatPage page = open("bad-ticket");
    LinkCode code = LinkCode.read(showCode(page));
    String forged = "A".repeat(43);
    alice.deliver(code, alice.plaintext(forged, api().serverKey()), m -> m);
    assertRefused(page, "The link failed: the link expired; start again.", alice);
  }

  @Test
  void unknownMailbox_saysTheCodeIsGone() throws Exception {
    ChatPage page = open("unknown-mailbox");
    // The page's POST /api/links "succeeds" without reaching the server: its mailbox was never
    // opened, so every poll answers 404 unknown_link, as for an expired or used one.
    page.forgeRegistryAnswer(
        "/api/links",
        Json.createObjectBuilder()
            .add("expiresAt", java.time.Instant.now().plusSeconds(600).toString())
            .build()
            .toString());
    page.load();
    // The first poll comes as soon as the code shows and fails at once: wait for the failure only.
    page.click("link-browser");
    page.waitUntil("the link failed", () -> !linkError(page).isEmpty());
    assertThat(polls(page)).isEqualTo(1);
    assertThat(linkError(page)).isEqualTo(CODE_GONE);
    assertThat(page.script("return document.getElementById('link-code-text').textContent"))
        .isEqualTo("");
    assertThat(page.displayed("link-restart")).isTrue();
    assertThat(localRecords(page)).containsEntry("accounts", 0L);
  }

  @Test
  void cancel_stopsPolling_andShowsTheLoginForm() throws Exception {
    ChatPage page = open("cancel");
    showCode(page);
    page.click("link-cancel");
    page.waitUntil("the login form", () -> page.displayed("auth-card"));
    Thread.sleep(1_000); // a poll under way when Cancel was clicked still completes
    long polls = polls(page);
    Thread.sleep(4_500);
    assertThat(polls(page)).isEqualTo(polls);
    assertThat(page.displayed("link-panel")).isFalse();
  }

  // --- helpers --------------------------------------------------------------------------------

  private static final AtomicInteger ADDRESSES = new AtomicInteger(RANDOM.nextInt(200));

  /**
   * A window whose requests come, as the server sees them, from an address of its own (the
   * X-Forwarded-For the IT server trusts from loopback): each has its own mailbox quota
   * (securecom.links.per-address, 10 an hour), whatever other tests opened from loopback.
   */
  private ChatPage open(String label) {
    ChatPage page = browsers.open(label, base);
    page.driver.executeCdpCommand("Network.enable", Map.of());
    page.driver.executeCdpCommand(
        "Network.setExtraHTTPHeaders",
        Map.of(
            "headers",
            Map.of("X-Forwarded-For", "192.0.2." + (1 + ADDRESSES.getAndIncrement() % 254))));
    return page;
  }

  private Api api() {
    return new Api(base);
  }

  private static byte[] secret() {
    byte[] s = new byte[LinkCode.SECRET_BYTES];
    RANDOM.nextBytes(s);
    return s;
  }

  /** Clicks "Link this browser", waits for the code and returns its text form. */
  private static String showCode(ChatPage page) {
    page.click("link-browser");
    page.waitUntil(
        "a link code",
        () ->
            !page.script("return document.getElementById('link-code-text').textContent")
                .toString()
                .isEmpty());
    return page.script("return document.getElementById('link-code-text').textContent").toString();
  }

  private static String linkError(ChatPage page) {
    return page.script("return document.getElementById('link-error').textContent").toString();
  }

  private static long polls(ChatPage page) {
    return page.apiRequests().stream().filter(p -> p.matches(".*/api/links/[0-9a-f]{32}")).count();
  }

  /**
   * The page refused the message with {@code text}, keeps nothing, and the account is unchanged.
   */
  private void assertRefused(ChatPage page, String text, Account account) {
    page.waitUntil("the link failed", () -> !linkError(page).isEmpty());
    assertThat(linkError(page)).isEqualTo(text);
    assertThat(page.view()).isEqualTo("auth");
    assertThat(localRecords(page))
        .containsEntry("accounts", 0L)
        .containsEntry("contacts", 0L)
        .containsEntry("oneTimePreKeys", 0L);
    JsonObject devices = api().get("api/devices", account.token).json();
    assertThat(devices.getJsonArray("devices"))
        .extracting(d -> d.asJsonObject().getInt("deviceId"))
        .containsExactly(1);
  }

  /** How many records the page's profile holds in each store that linking writes. */
  @SuppressWarnings("unchecked")
  private static Map<String, Long> localRecords(ChatPage page) {
    return (Map<String, Long>)
        page.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " const open = indexedDB.open('securecom');"
                + " open.onsuccess = () => { const db = open.result;"
                + " const names = ['accounts', 'contacts', 'oneTimePreKeys'];"
                + " const tx = db.transaction(names); const out = {};"
                + " names.forEach((n) => { const r = tx.objectStore(n).count();"
                + " r.onsuccess = () => { out[n] = r.result; }; });"
                + " tx.oncomplete = () => { db.close(); done(out); }; };"
                + " open.onerror = () => done(null);");
  }

  private static final Pattern MODULE = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z");

  /** The dark modules of the page's QR code, as "x,y" without the quiet zone. */
  private static Set<String> qrModules(ChatPage page) {
    String d =
        page.script("return document.querySelector('#link-qr svg path').getAttribute('d')")
            .toString();
    Set<String> dark = new HashSet<>();
    Matcher m = MODULE.matcher(d);
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).isEqualTo(end);
      end = m.end();
      dark.add((Integer.parseInt(m.group(1)) - 4) + "," + (Integer.parseInt(m.group(2)) - 4));
    }
    assertThat(end).isEqualTo(d.length());
    return dark;
  }

  private static Set<String> javaQrModules(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    Set<String> dark = new HashSet<>();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          dark.add(x + "," + y);
        }
      }
    }
    return dark;
  }

  /** A message transform for {@link Account#deliver} (a bit flipped, or none). */
  @FunctionalInterface
  private interface Tamper {
    byte[] apply(byte[] message);
  }

  /** An account registered through the REST API, whose device 1 this test plays. */
  private record Account(Api api, TestUser user, String token) {
    static Account signUp(Api api, String prefix) {
      TestUser user = TestUser.named(prefix);
      return new Account(api, user, api.signUp(user));
    }

    String ticket() {
      Api.Reply reply = api.post("api/devices/tickets", token, Json.createObjectBuilder().build());
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
      return reply.json().getString("ticket");
    }

    /**
     * The provisioning plaintext device 1 sends (docs/protocol.md, "The provisioning message"): the
     * identity, the list {1, 2} that links device 2 to this never-listed account, {@code ticket},
     * {@code serverKey} and {@code contacts}.
     */
    byte[] plaintext(String ticket, byte[] serverKey, JsonObject... contacts) {
      byte[] dhPublic = user.identityDh.publicKey();
      var pins = Json.createArrayBuilder();
      for (JsonObject c : contacts) {
        pins.add(c);
      }
      return Json.createObjectBuilder()
          .add("type", "provision")
          .add("version", 1)
          .add(
              "identity",
              Json.createObjectBuilder()
                  .add("signingKey", Bytes.base64(user.identity.privateKey()))
                  .add("dhPrivateKey", Bytes.base64(user.identityDh.privateKey()))
                  .add(
                      "dhSignature",
                      Bytes.base64(
                          Ed25519.sign(
                              user.identity.privateKey(),
                              KeySignatures.identityDhKeyMessage(dhPublic)))))
          .add(
              "deviceList",
              user.deviceListUpload(user.identity, 1, 2, 1, 2).getJsonObject("deviceList"))
          .add("ticket", ticket)
          .add("serverKey", Bytes.base64(serverKey))
          .add("contacts", pins)
          .build()
          .toString()
          .getBytes(StandardCharsets.UTF_8);
    }

    /** Seals {@code plaintext} to {@code code} as device 1 linking device 2, tampers, puts it. */
    void deliver(LinkCode code, byte[] plaintext, Tamper tamper) throws Exception {
      byte[] message =
          ProvisioningCipher.seal(
              code, X25519.generate(RANDOM).privateKey(), 1, 2, user.username, plaintext);
      put(code, tamper.apply(message));
    }

    void put(LinkCode code, byte[] message) {
      Api.Reply reply =
          api.put(
              "api/links/" + code.mailbox(),
              token,
              Json.createObjectBuilder().add("message", Bytes.base64(message)).build());
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(204);
    }
  }

  /**
   * The standalone client's jar with its own home, as {@link CliClient} runs it, but with standard
   * input (the "Link it? [y/N]" answer).
   */
  private static final class Cli {
    final String username;
    private final Path home;
    private final String server;
    private final CliProcess cli;

    Cli(URL server, String username) {
      try {
        this.home = Files.createTempDirectory("securecom-cli-");
        this.cli = CliProcess.javaJar(CliClient.jar(), List.of(), home.resolve("outputs"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.server = server.toString();
      this.username = username;
    }

    CliProcess.Result run(String input, String... args) {
      List<String> command =
          new ArrayList<>(List.of("--server", server, "--home", home.toString(), "-u", username));
      command.addAll(List.of(args));
      try {
        return cli.run(
            username + "-" + args[0],
            command,
            Map.of(
                "SECURECOM_PASSWORD",
                PASSWORD,
                "SECURECOM_PASSPHRASE",
                "cli passphrase for " + username),
            input);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
