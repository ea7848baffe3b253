package com.securecom.client.store;

import com.securecom.protocol.Usernames;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Where profiles live by default: {@code ~/.securecom/profiles/<host>_<port>/<username>/}. */
public final class ProfileLocation {
  private static final Pattern NOT_HOST_SAFE = Pattern.compile("[^a-z0-9.-]");

  private ProfileLocation() {}

  /** {@code ~/.securecom/profiles}, from the {@code user.home} system property. */
  public static Path defaultBase() {
    return Path.of(System.getProperty("user.home"), ".securecom", "profiles");
  }

  /** The profile directory under {@link #defaultBase()}. */
  public static Path directory(URI server, String username) {
    return directory(defaultBase(), server, username);
  }

  /**
   * {@code base/<host>_<port>/<username>}. The host is lower-cased, an IPv6 literal loses its
   * brackets, and every character other than a letter, digit, dot or hyphen becomes {@code _}. A
   * missing port is the scheme's default (443 for https and wss, 80 for http and ws).
   *
   * <p>The username must follow {@link Usernames} (lower case only, so no two names share a
   * directory on a case-insensitive file system; no separators). A name of dots only, valid as a
   * username, is refused as well: a path element of dots is special on some file systems (Windows
   * drops trailing dots).
   *
   * @throws IllegalArgumentException if the URI has no host, no port can be inferred, or the
   *     username is not a safe single path element
   */
  public static Path directory(Path base, URI server, String username) {
    Path serverDirectory = serverDirectory(base, server);
    if (!Usernames.isValid(username)) {
      throw new IllegalArgumentException("not a username: a username is " + Usernames.RULE);
    }
    if (username.chars().allMatch(c -> c == '.')) {
      throw new IllegalArgumentException("username cannot name a profile directory");
    }
    return serverDirectory.resolve(username);
  }

  /**
   * {@code base/<host>_<port>}, where the profiles for {@code server} live.
   *
   * @throws IllegalArgumentException if the URI has no host or no port can be inferred
   */
  public static Path serverDirectory(Path base, URI server) {
    String host = server.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("server URI has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String safeHost = NOT_HOST_SAFE.matcher(host.toLowerCase(Locale.ROOT)).replaceAll("_");
    return base.resolve(safeHost + "_" + port(server));
  }

  private static int port(URI server) {
    if (server.getPort() != -1) {
      return server.getPort();
    }
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "https":
      case "wss":
        return 443;
      case "http":
      case "ws":
        return 80;
      default:
        throw new IllegalArgumentException("server URI has no port and no known scheme");
    }
  }
}
