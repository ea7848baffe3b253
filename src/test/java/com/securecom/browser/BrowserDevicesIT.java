package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.browser.support.CliClient;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.testkit.CliProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser as the existing device of an account (docs/protocol.md, "Linking a device", "The
 * existing device's steps"; Settings → Devices) against the built WAR, with the standalone Java
 * client as the new device: a browser account links a command-line device, which then gets the
 * account's messages; the browser removes it again; codes that are mistyped, expired or that no
 * device waits for are refused, the first two before anything is sent.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserDevicesIT {
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration LINK_WAIT = Duration.ofSeconds(120);
  private static final Pattern CODE = Pattern.compile("\\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){15})\\b");

  @RegisterExtension static final Browsers browsers = new Browsers();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private final SecureRandom random = new SecureRandom();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopProcesses() {
    started.forEach(Process::destroyForcibly);
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void browserLinksACommandLineDevice_bothGetMessages_thenTheBrowserRemovesIt() throws Exception {
    String alice = name("alice");
    ChatPage page = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    openDevices(page);
    waitDevices(page, List.of(1));
    assertThat(deviceText(page, 1)).contains("this browser");

    // (a) the command line shows a code; the browser reads it, asks, and links it as device 2
    NewCliDevice laptop = new NewCliDevice(alice);
    Process link = laptop.start("link", "link", "--no-qr", "--name", "cli laptop");
    String code = laptop.code(link);
    typeCode(page, code);
    page.waitUntil("the question before linking", () -> page.displayed("link-confirm"));
    assertThat(text(page, "link-confirm-text"))
        .isEqualTo(
            "The device showing this code will read all your future messages and can act as you."
                + " Link it?");
    page.click("link-yes");
    waitText(page, "link-progress", "Linked device 2.");
    assertThat(link.waitFor(60, TimeUnit.SECONDS)).as("securecom link ends").isTrue();
    assertThat(link.exitValue()).as(laptop.output("link")).isZero();
    assertThat(laptop.output("link")).contains("This device is now device 2 of " + alice);
    waitDevices(page, List.of(1, 2));
    assertThat(page.banner())
        .as("a device this browser linked is no news")
        .doesNotContain("new device");
    assertThat(ownList(alice).getJsonArray("devices")).hasSize(2);

    // a third user's message reaches both devices
    CliClient carol = new CliClient(base, name("carol"), PASSWORD);
    carol.register();
    carol.send(alice, "Hello Alice, on all your devices.");
    page.openConversation(carol.username).waitIncoming("Hello Alice, on all your devices.");
    assertThat(laptop.run("receive", "--json").orThrow().json("message"))
        .extracting(j -> j.getString("from") + ": " + j.getString("text"))
        .containsExactly(carol.username + ": Hello Alice, on all your devices.");

    // (b) removal: confirmed first; the command line, listening, learns it was removed (exit 13)
    String seen = lastSeen(alice, 2);
    Process listening = laptop.start("receive", "receive", "--follow");
    new WebDriverWait(page.driver, LINK_WAIT)
        .withMessage(() -> "device 2 connected again:\n" + laptop.output("receive"))
        .until(d -> !lastSeen(alice, 2).equals(seen));
    removeButton(page, 2).click();
    WebElement confirm =
        page.driver.findElement(By.cssSelector("#device-list button[data-confirm-remove='2']"));
    assertThat(deviceText(page, 2)).contains("Remove device 2?");
    confirm.click();
    waitText(page, "link-progress", "Removed device 2.");
    waitDevices(page, List.of(1));
    assertThat(page.banner()).doesNotContain("was removed");
    assertThat(listening.waitFor(60, TimeUnit.SECONDS)).as("receive --follow ends").isTrue();
    assertThat(listening.exitValue()).as(laptop.output("receive")).isEqualTo(13);
    assertThat(laptop.output("receive")).contains("this device was removed from account " + alice);
    CliProcess.Result after = laptop.run("login");
    assertThat(after.exitCode()).as(after.toString()).isEqualTo(13);
    assertThat(ownList(alice).getJsonArray("devices")).hasSize(1);
    assertThat(removeButtons(page)).as("this browser cannot remove itself").isEmpty();

    // (c) a code no device waits for: refused by the server; the account's list is unchanged
    String listBefore = ownList(alice).getJsonObject("deviceList").toString();
    typeCode(page, neverOpened(Instant.now().plusSeconds(600)).text());
    page.waitUntil("the question before linking", () -> page.displayed("link-confirm"));
    page.click("link-yes");
    waitText(
        page,
        "device-link-error",
        "No device is waiting for this code (mistyped, already used, or expired).");
    assertThat(ownList(alice).getJsonObject("deviceList").toString()).isEqualTo(listBefore);
    waitDevices(page, List.of(1));
  }

  @Test
  void mistypedAndExpiredCodes_areRefused_beforeAnyRequest() throws Exception {
    ChatPage page = browsers.open("bob", base).register(name("bob"), PASSWORD).waitConnected();
    openDevices(page);
    waitDevices(page, List.of(1));
    String good = neverOpened(Instant.now().plusSeconds(600)).text();
    char c = good.charAt(7);
    String mistyped = good.substring(0, 7) + (c == 'A' ? 'B' : 'A') + good.substring(8);
    List<String> before = linkRequests(page);

    typeCode(page, mistyped);
    waitText(page, "device-link-error", "This is not a link code; check for a typo.");
    assertThat(page.displayed("link-confirm")).isFalse();

    typeCode(page, "SECURECOM:" + good.replace("-", "").toLowerCase().substring(1));
    waitText(page, "device-link-error", "This is not a link code; check for a typo.");

    typeCode(page, neverOpened(Instant.now().minusSeconds(3600)).text());
    page.waitUntil(
        "the expiry is told",
        () -> text(page, "device-link-error").startsWith("This link code expired at "));
    assertThat(text(page, "device-link-error")).endsWith("; ask the new device for a new one.");
    assertThat(page.displayed("link-confirm")).isFalse();

    typeCode(page, good);
    page.waitUntil("the question before linking", () -> page.displayed("link-confirm"));
    page.click("link-no");
    waitText(page, "link-progress", "Nothing was linked.");
    assertThat(linkRequests(page))
        .as("no ticket asked, nothing put into a mailbox")
        .isEqualTo(before);
  }

  // The page

  private static void openDevices(ChatPage page) {
    page.driver.findElement(By.cssSelector("#devices > summary")).click();
  }

  private static String text(ChatPage page, String id) {
    return page.driver.findElement(By.id(id)).getText();
  }

  private static void typeCode(ChatPage page, String code) {
    WebElement box = page.driver.findElement(By.id("link-code"));
    box.clear();
    box.sendKeys(code);
    page.click("link-submit");
  }

  private static void waitText(ChatPage page, String id, String expected) {
    new WebDriverWait(page.driver, LINK_WAIT)
        .withMessage(() -> "#" + id + " says " + expected + "; it says " + text(page, id))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> text(page, id).equals(expected));
  }

  /** Waits until the devices shown as the account's (signed) are exactly {@code ids}. */
  private static void waitDevices(ChatPage page, List<Integer> ids) {
    new WebDriverWait(page.driver, LINK_WAIT)
        .withMessage(() -> "devices shown: " + ids)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d ->
                d.findElements(By.cssSelector("#device-list li[data-trusted='true']")).stream()
                    .map(li -> Integer.valueOf(li.getDomAttribute("data-device")))
                    .toList()
                    .equals(ids));
  }

  private static String deviceText(ChatPage page, int id) {
    return page.driver
        .findElement(By.cssSelector("#device-list li[data-device='" + id + "']"))
        .getText();
  }

  private static WebElement removeButton(ChatPage page, int id) {
    return page.driver.findElement(By.cssSelector("#device-list button[data-remove='" + id + "']"));
  }

  private static List<WebElement> removeButtons(ChatPage page) {
    return page.driver.findElements(By.cssSelector("#device-list button[data-remove]"));
  }

  /** The page's requests that start a link: tickets and link mailboxes. */
  private static List<String> linkRequests(ChatPage page) {
    return page.apiRequests().stream()
        .filter(p -> p.contains("/api/links") || p.contains("/api/devices/tickets"))
        .toList();
  }

  // The server and codes

  /** A well-formed code for a mailbox nobody opened. */
  private LinkCode neverOpened(Instant expiresAt) {
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    return new LinkCode(X25519.generate(random).publicKey(), secret, expiresAt.getEpochSecond());
  }

  /**
   * When device {@code id} of {@code username} last connected, as the server says ("" if never).
   */
  private String lastSeen(String username, int id) {
    return ownList(username).getJsonArray("devices").stream()
        .map(JsonValue::asJsonObject)
        .filter(d -> d.getInt("deviceId") == id)
        .map(d -> d.getString("lastSeenAt", ""))
        .findFirst()
        .orElseThrow();
  }

  /** {@code GET /api/devices} for {@code username}'s account, with a login of device 1. */
  private JsonObject ownList(String username) {
    Api api = new Api(base);
    Api.Reply login =
        api.post(
            "api/sessions",
            null,
            Json.createObjectBuilder().add("username", username).add("password", PASSWORD).build());
    assertThat(login.status()).isEqualTo(200);
    Api.Reply devices = api.get("api/devices", login.json().getString("token"));
    assertThat(devices.status()).isEqualTo(200);
    return devices.json();
  }

  /**
   * A command-line profile that becomes a device of {@code account} with {@code securecom link}
   * (run in the background: it shows its code, then waits for the existing device).
   */
  private final class NewCliDevice {
    private final String account;
    private final Path home;
    private final CliProcess cli;
    private final Path outputs;
    private final Map<String, String> secrets;

    NewCliDevice(String account) throws IOException {
      this.account = account;
      this.home = Files.createTempDirectory("securecom-cli-linked-");
      this.cli = CliProcess.javaJar(CliClient.jar(), List.of(), home.resolve("outputs"));
      this.outputs = Files.createDirectories(home.resolve("background"));
      this.secrets =
          Map.of(
              "SECURECOM_PASSWORD",
              PASSWORD,
              "SECURECOM_PASSPHRASE",
              "cli passphrase for the linked " + account);
    }

    /**
     * Starts {@code securecom args} in the background as this device (its output, standard error
     * included, in a file named {@code label}); {@code link} names no account (it learns it).
     */
    Process start(String label, String... args) throws IOException {
      List<String> command =
          new ArrayList<>(List.of("--server", base.toString(), "--home", home.toString()));
      if (!"link".equals(args[0])) {
        command.addAll(List.of("-u", account));
      }
      command.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(cli.commandLine(command))
              .redirectOutput(outputs.resolve(label + ".out").toFile())
              .redirectErrorStream(true);
      CliProcess.cleanEnvironment(builder.environment());
      builder.environment().putAll(secrets);
      Process process = builder.start();
      process.getOutputStream().close();
      started.add(process);
      return process;
    }

    String output(String label) {
      try {
        return Files.readString(outputs.resolve(label + ".out"), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    /** The code the running {@code securecom link} shows. */
    String code(Process link) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        Matcher m = CODE.matcher(output("link"));
        if (m.find()) {
          return m.group(1);
        }
        if (!link.isAlive()) {
          throw new AssertionError("securecom link ended without a code:\n" + output("link"));
        }
        Thread.sleep(200);
      }
      throw new AssertionError("securecom link showed no code:\n" + output("link"));
    }

    CliProcess.Result run(String... args) throws Exception {
      List<String> command =
          new ArrayList<>(List.of("--server", base.toString(), "--home", home.toString()));
      command.addAll(List.of("-u", account));
      command.addAll(List.of(args));
      return cli.run("linked-" + args[0], command, secrets, "");
    }
  }
}
