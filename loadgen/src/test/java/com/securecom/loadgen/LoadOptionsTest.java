package com.securecom.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadOptionsTest {
  @Test
  void defaults_areTheCommandLinesDefaults() {
    LoadOptions options = LoadOptions.defaults();

    assertEquals(URI.create("http://localhost:8080/"), options.server());
    assertEquals(100, options.users());
    assertEquals(1000, options.rate());
    assertEquals(10, options.window());
    assertEquals(Duration.ofSeconds(60), options.duration());
    assertEquals(Duration.ofSeconds(10), options.warmup());
    assertEquals(1024, options.size());
    assertEquals(4, options.senders());
    assertFalse(options.bare());
    assertFalse(options.acknowledged());
    assertFalse(options.reconnect());
    assertTrue(options.trackMessages());
    assertEquals("lg", options.prefix());
    assertEquals("load generator password", options.password());
  }

  @Test
  void emptyCommandLine_givesTheDefaults_withoutMessageTracking() {
    LoadGenerator generator = CommandLine.populateCommand(new LoadGenerator());
    LoadOptions options = generator.options();

    assertEquals(100, options.users());
    assertEquals(Duration.ofSeconds(60), options.duration());
    assertEquals(0, generator.serverPid);
    assertFalse(options.trackMessages());
  }

  @Test
  void commandLine_setsEveryOption() {
    LoadGenerator generator =
        CommandLine.populateCommand(
            new LoadGenerator(),
            "--server",
            "http://relay:9/",
            "--users",
            "7",
            "--rate",
            "0",
            "--window",
            "3",
            "--duration",
            "5",
            "--warmup",
            "0",
            "--size",
            "64",
            "--senders",
            "2",
            "--bare",
            "--acknowledged",
            "--reconnect",
            "--prefix",
            "p",
            "--password",
            "pw",
            "--server-pid",
            "42");
    LoadOptions options = generator.options();

    assertEquals(URI.create("http://relay:9/"), options.server());
    assertEquals(7, options.users());
    assertEquals(0, options.rate());
    assertEquals(3, options.window());
    assertEquals(Duration.ofSeconds(5), options.duration());
    assertEquals(Duration.ZERO, options.warmup());
    assertEquals(64, options.size());
    assertEquals(2, options.senders());
    assertTrue(options.bare());
    assertTrue(options.acknowledged());
    assertTrue(options.reconnect());
    assertTrue(options.trackMessages());
    assertEquals("p", options.prefix());
    assertEquals("pw", options.password());
    assertEquals(42, generator.serverPid);
  }

  @Test
  void acknowledgedWithoutBare_isRefused_beforeAnyConnection() {
    assertEquals(
        2,
        new CommandLine(new LoadGenerator())
            .setErr(new PrintWriter(new StringWriter()))
            .execute("--acknowledged", "--server", "http://127.0.0.1:9/"));
  }

  @Test
  void oneUser_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().users(1));
    assertEquals(
        2,
        new CommandLine(new LoadGenerator())
            .setErr(new PrintWriter(new StringWriter()))
            .execute("--users", "1"));
  }

  @Test
  void help_showsTheDefaults() {
    String help = new CommandLine(new LoadGenerator()).getUsageMessage();

    assertTrue(help.contains("Envelope bytes (default: 1024)."), help);
    assertTrue(help.contains("Measured seconds (default: 60)."), help);
    assertTrue(help.contains("Server URL (default: http://localhost:8080/)."), help);
  }
}
