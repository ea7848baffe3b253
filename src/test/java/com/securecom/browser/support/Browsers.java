package com.securecom.browser.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens headless Chromium windows for a test and closes them after it; a JUnit extension,
 * registered as a static field. On a failed test it first keeps a screenshot, the page's HTML and
 * the browser console of every window under {@code target/browser-screenshots/}. Skips the test
 * class where Chromium or its driver is missing, unless {@code CI=true}: CI must run these tests.
 */
public final class Browsers
    implements ExecutionCondition, AfterTestExecutionCallback, AfterEachCallback {
  /**
   * Debian's paths; {@code -Dsecurecom.chromium=...} and {@code -Dsecurecom.chromedriver=...}
   * override them.
   */
  public static final Path CHROMIUM =
      Paths.get(System.getProperty("securecom.chromium", "/usr/bin/chromium"));

  public static final Path CHROMEDRIVER =
      Paths.get(System.getProperty("securecom.chromedriver", "/usr/bin/chromedriver"));
  public static final Path SCREENSHOTS = Paths.get("target", "browser-screenshots");

  private final List<Window> open = new ArrayList<>();

  /** One browser window with its own profile (so its own IndexedDB: one device). */
  public record Window(String label, ChromeDriver driver, Path profile) {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return ConditionEvaluationResult.enabled("Chromium and chromedriver found");
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return ConditionEvaluationResult.enabled(
          "CI=true: browser tests must run (and will fail without Chromium)");
    }
    String why =
        "SKIPPED: no Chromium at "
            + CHROMIUM
            + " or no driver at "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver); browser tests not run";
    System.err.println(context.getDisplayName() + ": " + why);
    return ConditionEvaluationResult.disabled(why);
  }

  /**
   * A new window (a fresh browser profile) at {@code url}, 1200x800 unless resized, in British
   * English.
   */
  public ChatPage open(String label, URL url) {
    return new ChatPage(window(label), url);
  }

  public Window window(String label) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver: "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install chromium chromium-driver)");
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("securecom-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + profile,
        "--window-size=1200,800",
        "--lang=en-GB");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(new Dimension(1200, 800));
    // Headless Chromium formats dates and times as en-US whatever --lang says; British English
    // (24-hour clock,
    // day before month) for every page of this window, so that tests can read times and dates.
    driver.executeCdpCommand("Emulation.setLocaleOverride", Map.of("locale", "en-GB"));
    Window window = new Window(label, driver, profile);
    open.add(window);
    return window;
  }

  /**
   * Saves a PNG of the window's page under target/browser-screenshots/{@code name}.png; returns its
   * path.
   */
  public static Path screenshot(ChromeDriver driver, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    String test =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getRequiredTestMethod().getName();
    for (Window w : open) {
      String name = "FAILED-" + test + "-" + w.label();
      try {
        screenshot(w.driver(), name);
        Files.writeString(
            SCREENSHOTS.resolve(name + ".html"),
            w.driver().getPageSource(),
            StandardCharsets.UTF_8);
        StringBuilder console = new StringBuilder();
        for (LogEntry entry : w.driver().manage().logs().get(LogType.BROWSER)) {
          console.append(entry).append('\n');
        }
        Files.writeString(
            SCREENSHOTS.resolve(name + "-console.txt"), console, StandardCharsets.UTF_8);
        System.err.println(
            "browser state kept: " + SCREENSHOTS.resolve(name + ".png").toAbsolutePath());
      } catch (RuntimeException | IOException e) {
        System.err.println("could not keep the browser state of " + w.label() + ": " + e);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Window w : open) {
      try {
        w.driver().quit();
      } catch (RuntimeException e) {
        System.err.println("could not close browser " + w.label() + ": " + e);
      }
      deleteQuietly(w.profile());
    }
    open.clear();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
