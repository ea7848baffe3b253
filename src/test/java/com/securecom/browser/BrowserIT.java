package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.browser.support.CliClient;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.testkit.TcpProxy;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser client (src/main/webapp) in headless Chromium against the built WAR: the published
 * vectors, two browser users, a browser user with the standalone Java client, a changed key, and
 * failures shown in words.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserIT {
  private static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension static final Browsers browsers = new Browsers();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private URL url(String path) throws Exception {
    return new URL(base, path);
  }

  @Test
  void publishedVectors_allPassInChromium_everyFileOfThem() throws Exception {
    ChatPage page = browsers.open("vectors", url("tests/vectors.html"));
    page.waitUntil(
        "vector checks finished",
        () -> !"running".equals(page.script("return document.body.dataset.result")));
    String result = (String) page.script("return document.body.dataset.result");
    assertThat(result)
        .as(page.script("return document.getElementById('summary').textContent").toString())
        .isEqualTo("pass");
    assertThat(page.script("return document.getElementById('summary').textContent").toString())
        .contains("All");
    String results =
        page.script("return document.getElementById('results').textContent").toString();
    try (Stream<Path> files = Files.list(Path.of("protocol/src/test/resources/vectors"))) {
      assertThat(files.map(file -> file.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .isNotEmpty()
          .allSatisfy(
              file -> assertThat(results).as("the page checks " + file).contains(file + ":"));
    }
  }

  @Test
  void everyResponse_carriesTheSecurityHeaders() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("", "js/app.js", "api/server-key")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(url(path).toURI()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValue(
              "default-src 'self'; "
                  + "script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                  + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Cross-Origin-Opener-Policy"))
          .as(path)
          .hasValue("same-origin");
      assertThat(r.headers().firstValue("Permissions-Policy")).as(path).isPresent();
    }
  }

  @Test
  void twoBrowserUsers_chat_andWhatArrivesWhileOneIsAwayIsThereAfterReload() throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();

    a.startConversation(bob).send("Hello Bob, this is Alice.");
    b.openConversation(alice).waitIncoming("Hello Bob, this is Alice.");
    a.waitState("Hello Bob, this is Alice.", "delivered");
    assertThat(a.meta("out", "Hello Bob, this is Alice.")).contains("Delivered");
    b.send("Hi Alice! Bob here.");
    a.waitIncoming("Hi Alice! Bob here.");
    b.waitState("Hi Alice! Bob here.", "delivered");
    assertThat(a.safetyNumber()).isEqualTo(b.safetyNumber());
    a.closeSafetyNumber();

    b.leave();
    a.send("Are you there? (sent while you were away)");
    a.waitState("Are you there? (sent while you were away)", "sent");
    a.send("Second one.");
    a.waitState("Second one.", "sent");

    b.load().waitConnected().openConversation(alice).waitIncoming("Second one.");
    assertThat(b.bodies())
        .containsExactly(
            "Hello Bob, this is Alice.",
            "Hi Alice! Bob here.",
            "Are you there? (sent while you were away)",
            "Second one.");
    a.waitState("Are you there? (sent while you were away)", "delivered");
    a.waitState("Second one.", "delivered");
    b.send("Back now. Sorry, I reloaded the page.");
    a.waitIncoming("Back now. Sorry, I reloaded the page.");
    Browsers.screenshot(a.driver, "conversation-desktop");

    b.send("Ünïcode, emoji 👋 and <b>no markup</b>");
    a.waitIncoming("Ünïcode, emoji 👋 and <b>no markup</b>");

    a.resize(390, 760);
    assertThat(a.displayed("conversation")).isTrue();
    assertThat(a.displayed("contacts-pane")).isFalse();
    a.click("back");
    a.waitUntil(
        "contact list on a phone",
        () -> a.displayed("contacts-pane") && !a.displayed("conversation-pane"));
    Browsers.screenshot(a.driver, "contacts-phone");
    a.openConversation(bob);
    Browsers.screenshot(a.driver, "conversation-phone");

    b.logout();
    b.login(bob, PASSWORD).waitConnected().openConversation(alice).waitIncoming("Second one.");
  }

  @Test
  void browserUser_andStandaloneClientUser_chatBothWays() throws Exception {
    String alice = name("alice");
    CliClient bob = new CliClient(base, name("bob"), PASSWORD);
    CliClient carol = new CliClient(base, name("carol"), PASSWORD);
    bob.register();
    carol.register();
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();

    // The browser starts the session (X3DH as initiator in WebCrypto, responder in Java).
    a.startConversation(bob.username).send("Hello from the browser 🌍");
    a.send("And a second message.");
    a.waitState("And a second message.", "sent");
    List<JsonObject> received = bob.receive();
    assertThat(received)
        .filteredOn(j -> j.getString("type").equals("message"))
        .extracting(j -> j.getString("from") + ": " + j.getString("text"))
        .containsExactly(alice + ": Hello from the browser 🌍", alice + ": And a second message.");
    a.waitState("And a second message.", "delivered");
    bob.send(alice, "Hello from Java ☕");
    a.waitIncoming("Hello from Java ☕");
    a.send("Got it.");
    a.waitState("Got it.", "sent");
    assertThat(bob.receive())
        .filteredOn(j -> j.getString("type").equals("message"))
        .extracting(j -> j.getString("text"))
        .containsExactly("Got it.");

    // The Java client starts the session (X3DH as responder in WebCrypto).
    carol.send(alice, "Carol here, from the command line.");
    a.openConversation(carol.username).waitIncoming("Carol here, from the command line.");
    a.send("Hi Carol.");
    a.waitState("Hi Carol.", "sent");
    assertThat(carol.receive())
        .filteredOn(j -> j.getString("type").equals("message"))
        .extracting(j -> j.getString("text"))
        .containsExactly("Hi Carol.");

    // Both compute the same safety number.
    String browserNumber = a.safetyNumber();
    String javaOutput = carol.run("fingerprint", alice).orThrow().out();
    assertThat(javaOutput.replaceAll("[^0-9]", "")).contains(browserNumber);
  }

  /**
   * A group of alice and carol (command line) and bob (browser) through the real server (issue 15):
   * alice makes it with the command line, the browser joins it from her update, and each member's
   * texts reach the two others (the browser's as one relay version 5 send the Java client reads).
   */
  @Test
  void groupOfCommandLineAndBrowserUsers_eachSeesTheOthersMessages() {
    CliClient alice = new CliClient(base, name("alice"), PASSWORD);
    CliClient carol = new CliClient(base, name("carol"), PASSWORD);
    alice.register();
    carol.register();
    String bob = name("bob");
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();

    alice.run("group", "create", "Climbing", bob, carol.username).orThrow();
    b.openGroup("Climbing");
    assertThat(b.groupChanges())
        .singleElement()
        .asString()
        .startsWith(alice.username + " added you");
    assertThat(groupLines(carol.receive(), "groupChanged")).hasSize(1);

    alice.run("send", "#Climbing", "Hi from alice").orThrow();
    b.waitIncoming("Hi from alice");
    assertThat(b.sender("Hi from alice")).isEqualTo(alice.username);
    b.send("Hi from bob");
    b.waitUntil(
        "the server accepted bob's text",
        () -> java.util.Set.of("sent", "reached").contains(b.state("Hi from bob")));
    // a group send receives first: carol's prints alice's and bob's texts before her own goes
    List<JsonObject> atCarol =
        new ArrayList<>(carol.run("send", "--json", "#Climbing", "Hi from carol").orThrow().json());
    b.waitIncoming("Hi from carol");
    assertThat(b.sender("Hi from carol")).isEqualTo(carol.username);

    atCarol.addAll(carol.receive());
    assertThat(groupLines(atCarol, "groupMessage"))
        .containsExactly(alice.username + ": Hi from alice", bob + ": Hi from bob");
    assertThat(groupLines(alice.receive(), "groupMessage"))
        .containsExactly(bob + ": Hi from bob", carol.username + ": Hi from carol");
  }

  /** The JSON lines of {@code type}, a group message as "from: text". */
  private static List<String> groupLines(List<JsonObject> lines, String type) {
    return lines.stream()
        .filter(j -> j.getString("type").equals(type))
        .map(j -> j.containsKey("text") ? j.getString("from") + ": " + j.getString("text") : type)
        .toList();
  }

  @Test
  void
      changedKeyOfAVerifiedPeer_registryOnlyWarns_aMessageUnderTheNewKeyBlocksSending_untilVerified()
          throws Exception {
    String alice = name("alice");
    TestUser bob = TestUser.named("bob");
    new Api(base).register(bob, 5);
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    a.startConversation(bob.username).send("Hi Bob.");
    a.waitState("Hi Bob.", "sent");
    String verifiedNumber = a.safetyNumber();
    a.markVerified();
    assertThat(a.keyWarning()).isEmpty();

    // Bob reinstalls: a new browser with new keys, logged in to the same account. The server never
    // changes a
    // registered identity key, so the new browser's registration is answered in its own fetch, and
    // the registry, as
    // Alice's page sees it, publishes the new key (a new device, or a server in the middle: Alice
    // cannot tell).
    ChatPage b = browsers.open("bob-reinstalled", base);
    b.forgeRegistration();
    b.load().register(bob.username, bob.password).waitConnected();
    a.forgeRegistryAnswer(
        "/api/keys/" + bob.username + "/identity", b.forgedRegistrationIdentity());

    // A registry answer alone changes nothing: a warning, and Alice keeps sending to the key she
    // verified.
    a.load().waitConnected().openConversation(bob.username).waitKeyWarning();
    assertThat(a.keyWarning())
        .contains("The server now publishes another key for " + bob.username)
        .contains("keeps using the key you trust");
    assertThat(a.sendBlocked()).isFalse();
    assertThat(a.badge()).contains("Verified");
    assertThat(a.contactText(bob.username)).contains("⚠");
    a.send("Still there?");
    a.waitState(
        "Still there?",
        "reached"); // the new browser is online: it acknowledges what it cannot read

    // A message under the new key makes it pending: shown, marked, and sending is blocked until
    // Alice verifies.
    b.startConversation(alice).send("Hi Alice, I reinstalled SecureCom.");
    a.waitIncoming("Hi Alice, I reinstalled SecureCom.").waitPendingKeyWarning();
    assertThat(a.unconfirmed("Hi Alice, I reinstalled SecureCom.")).isTrue();
    assertThat(a.meta("in", "Hi Alice, I reinstalled SecureCom."))
        .contains("From an unconfirmed key");
    assertThat(a.keyWarning())
        .contains("A message came from " + bob.username + " with a new key")
        .contains("registered again")
        .contains("the server is misbehaving")
        .contains("You had verified " + bob.username + "'s old key");
    assertThat(a.sendBlocked()).isTrue();
    assertThat(a.canAcceptNewKey())
        .as("accepting without comparing: only if the old key was not verified")
        .isFalse();
    assertThat(a.badge()).contains("New key not confirmed");
    Browsers.screenshot(a.driver, "key-changed");

    a.click("warning-compare");
    String newNumber = a.safetyNumber();
    assertThat(newNumber).isNotEqualTo(verifiedNumber).isEqualTo(b.safetyNumber());
    a.markVerified();
    a.waitUntil("warning cleared", () -> a.keyWarning().isEmpty());
    assertThat(a.sendBlocked()).isFalse();
    a.send("Welcome back, Bob.");
    b.waitIncoming("Welcome back, Bob.");
    a.waitState("Welcome back, Bob.", "delivered");
  }

  @Test
  void failures_areShownInWords_andTheClientReconnectsWhenTheServerIsBack() throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    try (TcpProxy proxy = TcpProxy.to(base.getPort())) {
      URL viaProxy =
          new URI("http", null, "localhost", proxy.port(), base.getPath(), null, null).toURL();
      ChatPage a = browsers.open("alice", viaProxy).register(alice, PASSWORD).waitConnected();
      ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
      a.startConversation(bob).send("Before the outage.");
      a.waitState("Before the outage.", "delivered");

      proxy.cut();
      a.waitUntil("offline shown", () -> "offline".equals(a.connectionStatus()));
      assertThat(a.banner()).contains("Cannot reach the server").contains("Retrying in");
      a.send("Written during the outage.");
      assertThat(a.state("Written during the outage.")).isEqualTo("pending");
      assertThat(a.meta("out", "Written during the outage.")).contains("Waiting for connection");
      Browsers.screenshot(a.driver, "offline");

      proxy.restore();
      a.waitUntil("reconnected", () -> "ready".equals(a.connectionStatus()));
      assertThat(a.banner()).isEmpty();
      a.waitState("Written during the outage.", "delivered");
      b.openConversation(alice).waitIncoming("Written during the outage.");

      String nobody = name("nobody");
      assertThat(a.startConversationError(nobody))
          .isEqualTo("There is no user called " + nobody + ".");

      a.logout();
      a.login(alice, "not the password");
      assertThat(a.authError()).isEqualTo("Wrong username or password.");
      for (int i = 0; i < 5 && !a.authError().startsWith("Too many attempts"); i++) {
        a.login(alice, "still not the password " + i);
        a.waitUntil("answer to attempt " + i, () -> !a.authError().isEmpty());
      }
      a.waitUntil("rate limited", () -> a.authError().startsWith("Too many attempts"));
      assertThat(a.authError()).matches("Too many attempts\\. Try again in \\d+ seconds?\\.");

      b.replacePinnedServerKey();
      b.load();
      b.waitUntil("untrusted server shown", () -> "untrusted".equals(b.connectionStatus()));
      assertThat(b.banner()).contains("could not prove that it holds the key this browser pinned");
      b.logout();
      b.login(bob, PASSWORD);
      assertThat(b.authError()).contains("not the one this browser pinned");
    }
  }
}
