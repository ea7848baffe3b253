package com.securecom.client.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which server addresses the client talks to. Registration, login and every bearer-token call carry
 * secrets, so they go over TLS ({@code https://}, {@code wss://}) to any host; plain {@code
 * http://} and {@code ws://} are allowed only to this machine, where no network sees them: the name
 * {@code localhost}, an IPv4 literal in 127.0.0.0/8, or the IPv6 literal {@code [::1]}.
 *
 * <p>The decision is taken from the address as written, never from a DNS answer: a name is loopback
 * only if it is {@code localhost}. So {@code http://chat.example.org} is refused even where that
 * name resolves to 127.0.0.1, and nothing is resolved or sent before the check.
 */
public final class TransportPolicy {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private TransportPolicy() {}

  /**
   * Returns {@code server} if the client may use it.
   *
   * @throws InsecureTransportException for plain http/ws to a host that is not loopback
   * @throws IllegalArgumentException for a scheme other than http, https, ws, wss, or no host
   */
  public static URI require(URI server) {
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    String host = server.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "the server address " + server + " has no host (e.g. https://chat.example.org)");
    }
    switch (scheme) {
      case "https", "wss" -> {
        return server;
      }
      case "http", "ws" -> {
        if (isLoopback(host)) {
          return server;
        }
        String secure = scheme.equals("http") ? "https" : "wss";
        throw new InsecureTransportException(
            "refusing "
                + scheme
                + "://"
                + host
                + ": without TLS your password and"
                + " session token would cross the network in the clear; use "
                + secure
                + "://"
                + server.getRawAuthority()
                + " (plain "
                + scheme
                + ":// is allowed only to localhost, 127.0.0.0/8 and [::1])");
      }
      default ->
          throw new IllegalArgumentException(
              "the server address must start with https:// (or http:// for"
                  + " this machine): "
                  + server);
    }
  }

  /** True for {@code localhost}, 127.0.0.0/8 and ::1, judged from the text alone (no DNS). */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("localhost.")) {
      return true;
    }
    if (IPV4.matcher(h).matches()) {
      String[] octets = h.split("\\.");
      for (String octet : octets) {
        if (Integer.parseInt(octet) > 255) {
          return false;
        }
      }
      return octets[0].equals("127");
    }
    if (h.startsWith("[") && h.endsWith("]") && h.indexOf(':') > 0) {
      try {
        // An IPv6 literal (it has a colon): parsed, never looked up.
        return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
      } catch (UnknownHostException notAnAddress) {
        return false;
      }
    }
    return false; // a name other than localhost: never resolved here
  }
}
