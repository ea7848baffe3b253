package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.Vault;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerApi;
import com.securecom.client.store.ProfileLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command shares: which server, which user's profile, where profiles live, verbosity. */
final class ProfileOptions {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Option(scope = ScopeType.INHERIT, names = {"-s", "--server"}, defaultValue = "${env:SECURECOM_SERVER:-http://localhost:8080}",
      description = "Server URL (default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(scope = ScopeType.INHERIT, names = {"-u", "--user"}, defaultValue = "${env:SECURECOM_USER}",
      description = "Your username (default: the only profile for this server).")
  String user;

  @Option(scope = ScopeType.INHERIT, names = "--home", defaultValue = "${env:SECURECOM_HOME}",
      description = "Profiles directory (default: ~/.securecom/profiles).")
  Path home;

  @Option(scope = ScopeType.INHERIT, names = {"-v", "--verbose"}, description = "Print timings of key exchanges and encryption.")
  boolean verbose;

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

  /** A messenger for {@code vault} against --server, reporting to {@code events}. */
  Messenger messenger(Vault vault, MessengerEvents events) {
    ServerApi api = api();
    return new Messenger(vault, api, (token, listener) -> RelayConnection.open(api.channelUri(),
        vault.info().serverPublicKeyBytes(), token, listener), RANDOM, Clock.systemUTC(), events);
  }

  Path directory(String username) {
    return ProfileLocation.directory(base(), server, username);
  }

  /** The profile directory of --user, or of the only profile registered for this server. */
  Path directory() throws IOException {
    if (user != null) {
      return directory(user);
    }
    Path serverDir = directory("x").getParent();
    List<Path> profiles;
    try (Stream<Path> dirs = Files.isDirectory(serverDir) ? Files.list(serverDir) : Stream.empty()) {
      profiles = dirs.filter(Files::isDirectory).toList();
    }
    if (profiles.size() == 1) {
      user = profiles.get(0).getFileName().toString();
      return profiles.get(0);
    }
    throw new IllegalArgumentException(profiles.isEmpty()
        ? "no profile for " + server + "; run 'securecom register <username>' first"
        : "several profiles for " + server + "; choose one with --user");
  }

  Vault open() throws IOException, com.securecom.client.store.WrongPassphraseException {
    Path dir = directory();
    return Vault.open(dir, Secrets.passphrase(false));
  }
}
