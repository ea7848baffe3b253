package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.EncryptWarmup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.OwnDevices;
import com.securecom.client.app.SendPacing;
import com.securecom.client.app.Vault;
import com.securecom.client.keyring.Keyring;
import com.securecom.client.keyring.KeyringException;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerApi;
import com.securecom.client.store.ProfileKeyring;
import com.securecom.client.store.ProfileLocation;
import com.securecom.client.store.ProfileLockedException;
import com.securecom.client.store.WrongPassphraseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command shares: which server, which user's profile, where profiles live, verbosity.
 */
final class ProfileOptions {
  static final SecureRandom RANDOM = new SecureRandom();

  /** Where passphrases and passwords come from (tests give their own). */
  Secrets secrets = Secrets.fromSystem();

  /** Finds the OS keyring (tests give a fake one, or none). */
  Supplier<Optional<Keyring>> keyrings = Keyring::system;

  /** Makes the messenger of an open profile (tests give one over a test double of the server). */
  MessengerFactory messengers = this::relayMessenger;

  /** Where answers to questions ("[y/N]") are read from (tests give their own). */
  InputStream answers = System.in;

  private Questions questions;

  /** The questions commands ask, over {@link #answers}: one reader for the whole run. */
  Questions questions() {
    if (questions == null) {
      questions = new Questions(answers);
    }
    return questions;
  }

  /** Opens the chat's terminal (tests give one over streams of their own). */
  TerminalFactory terminals = ProfileOptions::systemTerminal;

  /** Makes a {@link Messenger} for an open profile, reporting to {@code events}. */
  @FunctionalInterface
  interface MessengerFactory {
    Messenger messenger(Vault vault, MessengerEvents events);
  }

  /** Opens a terminal for {@code chat}. */
  @FunctionalInterface
  interface TerminalFactory {
    Terminal open() throws IOException;
  }

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-s", "--server"},
      converter = Arguments.ServerAddress.class,
      defaultValue = "${env:SECURECOM_SERVER:-http://localhost:8080}",
      description = "Server URL (default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-u", "--user"},
      converter = Arguments.Username.class,
      defaultValue = "${env:SECURECOM_USER}",
      description = "Your username (default: the only profile for this server).")
  String user;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--home",
      defaultValue = "${env:SECURECOM_HOME}",
      description = "Profiles directory (default: ~/.securecom/profiles).")
  Path home;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-v", "--verbose"},
      description = "Print timings of key exchanges and encryption.")
  boolean verbose;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--relay-rate",
      converter = Arguments.RelayRate.class,
      defaultValue = "${env:SECURECOM_RELAY_RATE:-200/100}",
      description =
          "The server's frame rate limit, BURST/PER_SECOND (default: ${DEFAULT-VALUE}, the"
              + " server's default): sends are paced below it, so that a long pipe is not cut off"
              + " (close code 4429).")
  SendPacing relayRate = SendPacing.RELAY_DEFAULT;

  Path base() {
    return home != null ? home : ProfileLocation.defaultBase();
  }

  ServerApi api() {
    return new ServerApi(server);
  }

  /** Account operations against --server (the one composition point for the commands). */
  Accounts accounts() {
    return new Accounts(api(), RANDOM, Clock.systemUTC());
  }

  /** This account's devices against --server. */
  OwnDevices ownDevices() {
    return new OwnDevices(api(), RANDOM, Clock.systemUTC());
  }

  /** A messenger for {@code vault}, reporting to {@code events}. */
  Messenger messenger(Vault vault, MessengerEvents events) {
    return messengers.messenger(vault, events);
  }

  /** A messenger for {@code vault} against --server's relay and registry. */
  private Messenger relayMessenger(Vault vault, MessengerEvents events) {
    ServerApi api = api();
    return new Messenger(
            vault,
            api,
            (token, listener) ->
                RelayConnection.open(
                    api.channelUri(), vault.info().serverPublicKeyBytes(), token, listener),
            RANDOM,
            Clock.systemUTC(),
            events)
        .paceSends(relayRate);
  }

  /**
   * The terminal the user types in, or, when standard input is not one (a pipe, a script), a dumb
   * terminal: chosen explicitly, so JLine does not warn about the fallback.
   */
  private static Terminal systemTerminal() throws IOException {
    return TerminalBuilder.builder().system(true).dumb(true).build();
  }

  Path directory(String username) {
    return ProfileLocation.directory(base(), server, username);
  }

  /** The profile directory of --user, or of the only profile registered for this server. */
  Path directory() throws IOException {
    if (user != null) {
      return directory(user);
    }
    Path serverDir = ProfileLocation.serverDirectory(base(), server);
    List<Path> profiles;
    try (Stream<Path> dirs =
        Files.isDirectory(serverDir) ? Files.list(serverDir) : Stream.empty()) {
      profiles = dirs.filter(Files::isDirectory).toList();
    }
    if (profiles.size() == 1) {
      user = profiles.get(0).getFileName().toString();
      return profiles.get(0);
    }
    if (profiles.isEmpty()) {
      throw new NoProfileException(
          "no profile for " + server + "; run 'securecom register <username>' first");
    }
    throw new UsageException("several profiles for " + server + "; choose one with --user");
  }

  /**
   * Opens the profile of --user; a --no-passphrase profile takes its key from the OS keyring and
   * asks nothing.
   */
  Vault open() throws IOException, WrongPassphraseException {
    Path dir = directory();
    char[] secret = secret(dir);
    try {
      return Vault.open(dir, secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /**
   * {@link #open} for a command about to encrypt texts: while the Argon2id unlock runs, the send
   * path is warmed up on throw-away keys in the background ({@link EncryptWarmup}), so the first
   * texts do not pay for the JIT's start.
   */
  Vault openToSend() throws IOException, WrongPassphraseException {
    try (EncryptWarmup warmup = EncryptWarmup.start()) {
      return open();
    }
  }

  /**
   * Opens the profile of --user for a command that only reads it: as {@link #open}, or, while
   * another securecom holds it (a chat), as it was last written, without its lock. Such a command
   * fails "profile is in use" only if it would have to change the profile (pin a new contact, for
   * one).
   */
  Vault openForReading() throws IOException, WrongPassphraseException {
    Path dir = directory();
    char[] secret = secret(dir);
    try {
      return Vault.open(dir, secret);
    } catch (ProfileLockedException inUse) {
      return Vault.openForReading(dir, secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /**
   * What unlocks the profile in {@code dir}: its key from the OS keyring, or the passphrase, asked
   * for.
   */
  char[] secret(Path dir) throws IOException {
    if (ProfileKeyring.isKeyringProfile(dir)) {
      return ProfileKeyring.key(
          dir,
          keyrings
              .get()
              .orElseThrow(
                  () ->
                      new KeyringException(
                          "this profile keeps its key in the OS keyring (--no-passphrase), and no OS keyring was found")));
    }
    return secrets.passphrase();
  }

  /** The OS keyring, for {@code register --no-passphrase}. */
  Keyring keyringForNewProfile() throws KeyringException {
    return keyrings
        .get()
        .orElseThrow(
            () ->
                new KeyringException(
                    "no OS keyring found; choose a passphrase"
                        + " (--no-passphrase needs libsecret's secret-tool and a running keyring)"));
  }

  Optional<Keyring> keyring() {
    return keyrings.get();
  }

  Secrets secrets() {
    return secrets;
  }
}
