package com.securecom.browser.support;

import jakarta.json.Json;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The browser client as a person uses it, one window: what they type and click, what they read. */
public final class ChatPage {
  private static final Duration WAIT = Duration.ofSeconds(30);

  public final Browsers.Window window;
  public final ChromeDriver driver;
  private final URL base;

  ChatPage(Browsers.Window window, URL base) {
    this.window = window;
    this.driver = window.driver();
    this.base = base;
    load();
  }

  /** Loads (or reloads) the app and waits until it shows the login form or the chat. */
  public ChatPage load() {
    driver.get(base.toString());
    waitUntil("the app started", () -> !"loading".equals(view()));
    return this;
  }

  /** Leaves the app (the page is gone: no connection, nothing running). */
  public void leave() {
    driver.get("about:blank");
  }

  public String view() {
    return body().getDomAttribute("data-view");
  }

  private WebElement body() {
    return driver.findElement(By.tagName("body"));
  }

  private WebElement id(String id) {
    return driver.findElement(By.id(id));
  }

  public void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> window.label() + ": " + what)
        .ignoring(StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }

  // Accounts

  public ChatPage register(String username, String password) {
    return register(username, password, password);
  }

  /** Registers with {@code repeated} typed in the "Repeat password" field. */
  public ChatPage register(String username, String password, String repeated) {
    id("tab-register").click();
    WebElement repeat = id("auth-password-repeat");
    repeat.clear();
    repeat.sendKeys(repeated);
    return submitCredentials(username, password);
  }

  public ChatPage login(String username, String password) {
    id("tab-login").click();
    return submitCredentials(username, password);
  }

  private ChatPage submitCredentials(String username, String password) {
    WebElement user = id("auth-username");
    user.clear();
    user.sendKeys(username);
    WebElement pass = id("auth-password");
    pass.clear();
    pass.sendKeys(password, Keys.ENTER);
    return this;
  }

  /** Waits until the chat shows and the channel to the server is up. */
  public ChatPage waitConnected() {
    waitUntil("chat view", () -> "chat".equals(view()));
    waitUntil("connected", () -> "ready".equals(connectionStatus()));
    return this;
  }

  public String connectionStatus() {
    return id("connection").getDomAttribute("data-status");
  }

  public String authError() {
    waitUntil("an error under the login form", () -> !id("auth-error").getText().isBlank());
    return id("auth-error").getText();
  }

  public boolean showsRepeatPassword() {
    return id("auth-password-repeat").isDisplayed();
  }

  /**
   * The paths of the page's requests to the server's REST API so far (the browser's resource
   * timing).
   */
  @SuppressWarnings("unchecked")
  public List<String> apiRequests() {
    return (List<String>)
        script(
            "return performance.getEntriesByType('resource')"
                + ".map((e) => new URL(e.name).pathname).filter((p) => p.includes('/api/'));");
  }

  public String banner() {
    WebElement banner = id("banner");
    return banner.isDisplayed() ? id("banner-text").getText() : "";
  }

  public void logout() {
    id("logout").click();
    waitUntil("login form", () -> "auth".equals(view()));
  }

  // Conversations

  public ChatPage startConversation(String peer) {
    WebElement name = id("add-contact-name");
    name.sendKeys(peer, Keys.ENTER);
    return waitConversation(peer);
  }

  /** Tries to start a conversation with {@code peer}; returns the error shown under the form. */
  public String startConversationError(String peer) {
    WebElement name = id("add-contact-name");
    name.clear();
    name.sendKeys(peer, Keys.ENTER);
    waitUntil(
        "an error under the new conversation form",
        () -> !id("add-contact-error").getText().isBlank());
    return id("add-contact-error").getText();
  }

  public ChatPage openConversation(String peer) {
    clickInList("contact " + peer, contactButton(peer));
    return waitConversation(peer);
  }

  /**
   * Clicks the first button of the conversation list that {@code button} finds, once it is listed.
   * The list is re-rendered whenever a message or receipt arrives (after a reload, the queued ones
   * do so while we look), so the button found may be replaced before the click lands: find and
   * click again, as a person would.
   */
  private void clickInList(String what, By button) {
    waitUntil(
        what + " clicked",
        () -> {
          List<WebElement> buttons = driver.findElements(button);
          if (buttons.isEmpty()) {
            return false;
          }
          buttons.get(0).click();
          return true;
        });
  }

  private static By contactButton(String peer) {
    return By.cssSelector("#contact-list button[data-peer='" + peer + "']");
  }

  public String contactText(String peer) {
    return driver.findElement(contactButton(peer)).getText();
  }

  /** The unread count on the contact's row, "" if none shows. */
  public String contactUnread(String peer) {
    return driver.findElement(contactButton(peer)).findElements(By.className("unread")).stream()
        .filter(WebElement::isDisplayed)
        .map(WebElement::getText)
        .findFirst()
        .orElse("");
  }

  /** The count of unread messages in other conversations on the back button, "" if none shows. */
  public String backUnread() {
    WebElement count = id("back-unread");
    return count.isDisplayed() ? count.getText() : "";
  }

  private ChatPage waitConversation(String peer) {
    waitUntil(
        "conversation with " + peer,
        () -> id("conversation").isDisplayed() && peer.equals(id("peer-name").getText()));
    return this;
  }

  // Groups

  /** Creates a group with the "New group" form; waits until its conversation is open. */
  public ChatPage createGroup(String name, String... members) {
    id("new-group").click();
    id("new-group-name").sendKeys(name);
    id("new-group-members").sendKeys(String.join(", ", members));
    id("new-group-create").click();
    return waitConversation(name);
  }

  private static By groupButton(String name) {
    return By.xpath(
        "//ul[@id='contact-list']/li[@data-group]/button[contains(.//span[@class='contact-name'], \""
            + name
            + "\")]");
  }

  /** True if the conversation list shows a group of that name, with the group mark. */
  public boolean listsGroup(String name) {
    return driver.findElements(groupButton(name)).stream()
        .anyMatch(b -> !b.findElements(By.className("group-mark")).isEmpty());
  }

  /** Opens the group of that name from the conversation list (waiting for it to be listed). */
  public ChatPage openGroup(String name) {
    clickInList("group " + name, groupButton(name));
    return waitConversation(name);
  }

  /** The sender shown on an incoming group message. */
  public String sender(String text) {
    return message("in", text).orElseThrow().getDomAttribute("data-from");
  }

  /** The texts of the group's change notices, in order. */
  public List<String> groupChanges() {
    return driver
        .findElements(By.cssSelector("#messages li[data-kind='groupChange'] .notice-text"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  /** Opens the manage panel; returns the members as "user role verification" lines. */
  public List<String> groupMembers() {
    if (!id("group-panel").isDisplayed()) {
      id("show-group").click();
    }
    return driver.findElements(By.cssSelector("#group-members li")).stream()
        .map(
            li ->
                String.join(
                    " ",
                    li.findElements(By.tagName("span")).stream().map(WebElement::getText).toList()))
        .toList();
  }

  /** Removes {@code user} with the manage panel. */
  public ChatPage removeFromGroup(String user) {
    groupMembers();
    driver.findElement(By.cssSelector("#group-members button[data-user='" + user + "']")).click();
    waitUntil(
        user + " removed",
        () ->
            driver
                .findElements(By.cssSelector("#group-members li[data-user='" + user + "']"))
                .isEmpty());
    return this;
  }

  /** Types {@code text} and presses Enter; waits until it is listed as an outgoing message. */
  public ChatPage send(String text) {
    WebElement box = id("compose-text");
    box.sendKeys(text, Keys.ENTER);
    waitUntil("sent message listed: " + text, () -> message("out", text).isPresent());
    return this;
  }

  public boolean sendBlocked() {
    return !id("send").isEnabled() && !id("compose-text").isEnabled();
  }

  public String sendError() {
    return id("send-error").getText();
  }

  public Optional<WebElement> message(String dir, String text) {
    List<WebElement> items =
        driver.findElements(By.cssSelector("#messages li.message[data-dir='" + dir + "']"));
    return items.stream()
        .filter(li -> text.equals(li.findElement(By.className("body")).getText()))
        .findFirst();
  }

  public ChatPage waitIncoming(String text) {
    waitUntil("incoming message: " + text, () -> message("in", text).isPresent());
    return this;
  }

  /** pending, sent, reached, delivered, read, failed or undecryptable. */
  public String state(String text) {
    return message("out", text).orElseThrow().getDomAttribute("data-state");
  }

  public String meta(String dir, String text) {
    return message(dir, text).orElseThrow().findElement(By.className("meta")).getText();
  }

  public ChatPage waitState(String text, String state) {
    waitUntil(
        "message '" + text + "' " + state,
        () ->
            message("out", text)
                .map(li -> state.equals(li.getDomAttribute("data-state")))
                .orElse(false));
    return this;
  }

  /** True if the incoming message is marked as from an unconfirmed key. */
  public boolean unconfirmed(String text) {
    return "true".equals(message("in", text).orElseThrow().getDomAttribute("data-unconfirmed"));
  }

  /** The notices in the conversation: messages that could not be read. */
  public List<String> notices() {
    return driver.findElements(By.cssSelector("#messages li.notice .notice-text")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /**
   * The conversation as the user reads it, top to bottom: a day separator as "-- label --", a
   * message as its time (what its meta line shows before any " · ") and body, a notice as its text.
   */
  @SuppressWarnings("unchecked")
  public List<String> transcript() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll('#messages > li')].map((li) =>"
                + " li.classList.contains('day') ? '-- ' + li.textContent + ' --'"
                + " : li.classList.contains('message') ? li.querySelector('.meta').textContent.split(' · ')[0] + ' '"
                + " + li.querySelector('.body').textContent : li.querySelector('.notice-text').textContent);");
  }

  /**
   * Adds a text to the stored history with {@code peer}, as if it had been sent ({@code out}) or
   * received ({@code in}) at {@code at} (ms since the epoch): written through the app's own store
   * (records are sealed, see js/app/store.js), in the shape js/app/messenger.js and inbox.js store.
   * Shows after the next load.
   */
  public void addToHistory(String owner, String peer, String dir, String body, long at) {
    driver.executeAsyncScript(
        "const [owner, peer, dir, body, at, done] = arguments;"
            + " import(new URL('js/app/store.js', "
            + Json.createValue(base.toString())
            + ").href)"
            + ".then(async ({ Store, inKey, outKey }) => { const store = await Store.open();"
            + " const id = crypto.randomUUID(); const sentAt = new Date(at).toISOString();"
            + " await store.put('messages', dir === 'out'"
            + " ? { owner, key: outKey(id), peer, id, dir, kind: 'text', body, sentAt, at, state: 'delivered' }"
            + " : { owner, key: inKey(peer, id), peer, id, dir, kind: 'text', body, sentAt, serverSentAt: sentAt, at,"
            + " state: 'received', unconfirmed: false, seenByUser: true });"
            + " store.db.close(); done(true); });",
        owner,
        peer,
        dir,
        body,
        at);
  }

  public List<String> bodies() {
    return driver.findElements(By.cssSelector("#messages li.message .body")).stream()
        .map(WebElement::getText)
        .toList();
  }

  // Identity

  /** Opens the safety number panel; returns the 60 digits. */
  public String safetyNumber() {
    id("show-safety").click();
    waitUntil(
        "safety number computed",
        () -> {
          String digits = id("safety-digits").getDomAttribute("data-digits");
          return digits != null
              && digits.length() == 60
              && id("safety-digits").getText().length() == 71;
        });
    return id("safety-digits").getDomAttribute("data-digits");
  }

  public String safetyNumberShown() {
    return id("safety-digits").getText();
  }

  /** Verifies the safety number shown (the pin's, or a pending key's, which it then adopts). */
  public ChatPage markVerified() {
    id("verify").click();
    waitUntil("verified badge", () -> id("peer-badge").getText().contains("Verified"));
    return this;
  }

  public String badge() {
    return id("peer-badge").getText();
  }

  public String keyWarning() {
    WebElement warning = id("key-warning");
    return warning.isDisplayed() ? id("key-warning-text").getText() : "";
  }

  public ChatPage waitKeyWarning() {
    waitUntil("key change warning", () -> !keyWarning().isEmpty());
    return this;
  }

  /**
   * Waits for the warning of a message under a new, pending key (not only a registry that differs).
   */
  public ChatPage waitPendingKeyWarning() {
    waitUntil(
        "pending key warning",
        () ->
            "pending".equals(id("key-warning").getDomAttribute("data-kind"))
                && !keyWarning().isEmpty());
    return this;
  }

  /**
   * True if the warning offers to accept the new key without comparing (only when the old one was
   * not verified).
   */
  public boolean canAcceptNewKey() {
    return id("warning-accept").isDisplayed();
  }

  /**
   * From the next page load on, registering in this window "succeeds" without reaching the server,
   * which keeps the account and its old keys: a reinstalled client whose new keys the server never
   * published. The request body is kept for {@link #forgedRegistrationIdentity()}.
   */
  public void forgeRegistration() {
    String script =
        "(() => { const real = window.fetch; window.fetch = (input, init) => {"
            + " const url = new URL(typeof input === 'string' ? input : input.url, location.href);"
            + " if (!url.pathname.endsWith('/api/accounts') || init?.method !== 'POST') { return real(input, init); }"
            + " sessionStorage.setItem('forged-registration', init.body);"
            + " return Promise.resolve(new Response(JSON.stringify({username: JSON.parse(init.body).username}),"
            + " {status: 201, headers: {'Content-Type': 'application/json'}})); }; })();";
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  /**
   * The identity ({identityKey, identityDhKey}) this window registered after {@link
   * #forgeRegistration()}.
   */
  public String forgedRegistrationIdentity() {
    return (String)
        script(
            "const b = JSON.parse(sessionStorage.getItem('forged-registration'));"
                + " return JSON.stringify({identityKey: b.identityKey, identityDhKey: b.identityDhKey});");
  }

  /**
   * From the next page load on, the page's own {@code fetch} answers requests whose path ends with
   * {@code pathSuffix} with {@code json}, as a server in the middle would (injected through the
   * DevTools protocol before any of the page's scripts run).
   */
  public void forgeRegistryAnswer(String pathSuffix, String json) {
    String script =
        "(() => { const real = window.fetch; const suffix = "
            + Json.createValue(pathSuffix)
            + "; const body = "
            + Json.createValue(json)
            + "; window.fetch = (input, init) => {"
            + " const url = new URL(typeof input === 'string' ? input : input.url, location.href);"
            + " return url.pathname.endsWith(suffix) ? Promise.resolve(new Response(body,"
            + " {status: 200, headers: {'Content-Type': 'application/json'}})) : real(input, init); }; })();";
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  /**
   * Replaces the server key this browser pinned with another one, as if the server's key had
   * changed.
   */
  public void replacePinnedServerKey() {
    // Through the app's own store: records are sealed under the profile's storage key
    // (js/app/store.js).
    driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " import(new URL('js/app/store.js', "
            + Json.createValue(base.toString())
            + ").href)"
            + ".then(async ({ Store }) => { const store = await Store.open(); const v = await store.meta('serverKey');"
            + " await store.setMeta('serverKey', {...v, publicKey: crypto.getRandomValues(new Uint8Array(32)),"
            + " fingerprint: 'dead beef'}); store.db.close(); done(true); });");
  }

  public ChatPage closeSafetyNumber() {
    id("close-safety").click();
    waitUntil("safety number closed", () -> !id("safety-panel").isDisplayed());
    return this;
  }

  // Layout

  public ChatPage resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    return this;
  }

  /** The element's rectangle in the viewport, in CSS pixels: x, y, width, height, top, bottom... */
  @SuppressWarnings("unchecked")
  public Map<String, Number> rect(String elementId) {
    return (Map<String, Number>)
        script(
            "return document.getElementById(arguments[0]).getBoundingClientRect()" + ".toJSON();",
            elementId);
  }

  public boolean displayed(String elementId) {
    return id(elementId).isDisplayed();
  }

  public void click(String elementId) {
    id(elementId).click();
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }
}
