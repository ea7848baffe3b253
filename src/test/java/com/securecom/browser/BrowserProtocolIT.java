package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser client's peer protocol v2 (docs/protocol.md, "Peer protocol") in headless Chromium,
 * with no server: the real modules of src/main/webapp/js (Messenger, inbox, identities, sessions,
 * the store) run in a test page (src/test/resources/browser/protocol.html) against a test double of
 * the registry and the relay, a malicious one included. A small JDK HTTP server serves both
 * directories from one origin on 127.0.0.1 (a secure context, so WebCrypto and IndexedDB work);
 * test pages never ship in the WAR.
 */
class BrowserProtocolIT {
  /**
   * {@code -Dsecurecom.browser.js=...} serves another copy of the client's modules (to see the
   * checks fail).
   */
  private static final Path JS =
      Paths.get(System.getProperty("securecom.browser.js", "src/main/webapp/js"));

  private static final Path TESTS = Paths.get("src/test/resources/browser");
  private static final Map<String, String> TYPES =
      Map.of(".js", "text/javascript; charset=utf-8", ".html", "text/html; charset=utf-8");
  private static final List<String> SCENARIOS =
      List.of(
          "maliciousRegistry_cannotKeepOrSwapTheIdentity",
          "tamperedFirstMessageWithRegistryChange_leavesPinVerifiedAndSessions",
          "transientRegistryError_leavesTheDeliverUnacknowledged",
          "lateMessage_isReportedAsLate",
          "undecryptable_triggersExactlyOneReceipt",
          "deliveredReceipt_onlyWhenTheReceiverDecrypted",
          "readReceipts_offByDefault",
          "padding_hidesTheLengthOfTexts",
          "relayed_endsTheSendAndIsNotAnswered",
          "removedDevice_isNeverReconnected",
          "linkedDevices_upgradeIsNeverReconnected",
          "upgradeRequired_failsTheMessage_andItIsNotResent",
          "loggedOut_isNeverReconnected",
          "connectedElsewhere_waitsForTheUser",
          "droppedConnection_isRetriedAfterTheDelay",
          "accept_onlyIfTheOldKeyWasNotVerified",
          "sessionRecord_keepsTheNewestPinnedSession",
          "fanOut_everyPinnedDevice_andTranscriptsToOwnDevices",
          "deviceTheIdentityKeyDidNotSign_getsNothing_andItsMessagesAreDropped",
          "staleDevices_rebuildsOnceWithTheSameId_thenGivesUp",
          "queueFull_keepsTheMessage_andSendsItAgainOnTheNextConnection",
          "readyForAnotherDevice_isNotTrusted",
          "ownDevices_linkAndRemove_signOnlyOnThePin",
          "groups_createdByAPeer_isJoined_andTextsShownPerSenderInOrder",
          "groups_updateByANonAdmin_isIgnored_andTheStateUnchanged",
          "groups_textFromANonMember_isNotShown",
          "groups_sendFromTheBrowser_isOneSend_withACopyPerDevice",
          "groups_removedMember_getsNoCopyOfLaterMessages",
          "groups_textOnANewConnection_waitsForTheBacklog_soAQueuedRemovalApplies",
          "groups_updateUnderAnUnconfirmedKey_isIgnored",
          "groups_staleDevicesOfSeveralMembers_rebuildOnce_andAFullMemberIsLeftOut");

  @RegisterExtension static final Browsers browsers = new Browsers();

  private static HttpServer http;

  @BeforeAll
  static void serve() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/js/", exchange -> file(exchange, JS, "/js/"));
    http.createContext("/test/", exchange -> file(exchange, TESTS, "/test/"));
    http.start();
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  /** Answers GET with the file under {@code root} (never outside it), 404 otherwise. */
  private static void file(HttpExchange exchange, Path root, String prefix) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(prefix.length());
      Path base = root.toAbsolutePath().normalize();
      Path file = base.resolve(path).normalize();
      String name = file.getFileName() == null ? "" : file.getFileName().toString();
      String type = TYPES.get(name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
      if (!"GET".equals(exchange.getRequestMethod())
          || !file.startsWith(base)
          || !Files.isRegularFile(file)
          || type == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Test
  void peerProtocolV2_allChecksPassInChromium() {
    ChromeDriver driver = browsers.window("protocol").driver();
    driver.get("http://127.0.0.1:" + http.getAddress().getPort() + "/test/protocol.html");
    new WebDriverWait(driver, Duration.ofMinutes(5))
        .withMessage("the protocol checks finished")
        .until(d -> !"running".equals(driver.executeScript("return document.body.dataset.result")));

    String result = (String) driver.executeScript("return document.body.dataset.result");
    Object json = driver.executeScript("return JSON.stringify(window.protocolChecks || [])");
    JsonArray checks = Json.createReader(new StringReader((String) json)).readArray();
    List<String> failed =
        checks.getValuesAs(JsonObject.class).stream()
            .filter(c -> !c.getBoolean("ok"))
            .map(
                c ->
                    c.getString("scenario")
                        + ": "
                        + c.getString("name")
                        + " "
                        + c.getString("detail"))
            .toList();
    List<String> ran =
        checks.getValuesAs(JsonObject.class).stream()
            .map(c -> c.getString("scenario"))
            .distinct()
            .toList();

    assertThat(failed).as(result).isEmpty();
    assertThat(ran)
        .as("every scenario ran and reported checks")
        .containsExactlyElementsOf(SCENARIOS);
    assertThat(checks.size()).as("checks reported").isGreaterThanOrEqualTo(70);
    assertThat(result).isEqualTo("pass");
  }
}
