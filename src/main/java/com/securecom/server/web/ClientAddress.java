package com.securecom.server.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client address that rate limits key on.
 *
 * <p>By default the direct peer's address. Behind a reverse proxy that is the proxy's, shared by
 * every client, so an operator names the header the proxy writes ({@code
 * securecom.http.client-address-header}, e.g. {@code X-Forwarded-For}) and the proxies' addresses
 * ({@code securecom.http.trusted-proxies}, comma-separated IP literals). The header is read only
 * when the direct peer is one of those proxies; otherwise anyone could choose their address by
 * sending it. In a comma-separated list the rightmost address that is not a trusted proxy is the
 * client (entries to its left were written by the client itself). A header sent on several lines is
 * one list, the lines in order (RFC 9110 section 5.3): a proxy that adds a line of its own after
 * the client's (HAProxy's {@code option forwardfor}) is read as one that appends to it. A header
 * that holds no IP literal is ignored.
 *
 * <p>This is the one rule for every way a client reaches the server: REST requests ({@link
 * #of(HttpServletRequest)}) and the channel's WebSocket upgrades ({@link #of(String, Function)}).
 *
 * <p>An IPv6 client is keyed by its /64 network: one subscriber usually holds a whole /64, so
 * keying on the full address would give an attacker 2^64 fresh budgets.
 */
@ApplicationScoped
public class ClientAddress {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private String header;
  private Set<String> trustedProxies;

  protected ClientAddress() {}

  @Inject
  public ClientAddress(
      @ConfigProperty(name = "securecom.http.client-address-header") Optional<String> header,
      @ConfigProperty(name = "securecom.http.trusted-proxies") Optional<String> trustedProxies) {
    // Optional<String>, split here: Payara's config producer fails on Optional<List<String>>
    // (ClassCastException).
    this.header = header.map(String::trim).filter(h -> !h.isEmpty()).orElse(null);
    this.trustedProxies =
        Arrays.stream(trustedProxies.orElse("").split(","))
            .map(String::trim)
            .map(ClientAddress::canonical)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
  }

  /** The key of {@code request}'s client for rate limits. */
  public String of(HttpServletRequest request) {
    return of(
        request.getRemoteAddr(),
        name -> {
          Enumeration<String> lines = request.getHeaders(name);
          return lines == null ? List.of() : Collections.list(lines);
        });
  }

  /**
   * The key for rate limits of a client whose direct peer is {@code peer} (an IP literal, as the
   * container reports it) and whose request's header lines of a name are {@code headerLines} of
   * that name (case-insensitive; none: an empty list). Null if {@code peer} is null.
   */
  public String of(String peer, Function<String, List<String>> headerLines) {
    if (header == null) {
      return ofHeaderValue(peer, null);
    }
    List<String> lines = headerLines.apply(header);
    return ofHeaderValue(peer, lines == null || lines.isEmpty() ? null : String.join(",", lines));
  }

  /**
   * The key of a client whose direct peer is {@code peer}; {@code headerValue}: the header, or
   * null.
   */
  String ofHeaderValue(String peer, String headerValue) {
    String direct = canonical(peer).orElse(peer);
    if (headerValue != null && trustedProxies.contains(direct)) {
      List<String> hops = Arrays.asList(headerValue.split(","));
      for (int i = hops.size() - 1; i >= 0; i--) {
        Optional<String> hop = canonical(hops.get(i).trim());
        if (hop.isEmpty()) {
          break;
        }
        if (!trustedProxies.contains(hop.get())) {
          return key(hop.get());
        }
      }
    }
    return key(direct);
  }

  /** An IP literal in one canonical spelling, or empty for anything else (never a DNS lookup). */
  static Optional<String> canonical(String literal) {
    if (literal == null) {
      return Optional.empty();
    }
    String s =
        literal.startsWith("[") && literal.endsWith("]")
            ? literal.substring(1, literal.length() - 1)
            : literal;
    if (!IPV4.matcher(s).matches() && !(IPV6.matcher(s).matches() && s.length() <= 45)) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s).getHostAddress());
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  private static String key(String address) {
    if (canonical(address).isEmpty()) {
      return address;
    }
    try {
      InetAddress parsed = InetAddress.getByName(address);
      if (parsed instanceof Inet6Address) {
        byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        return InetAddress.getByAddress(network).getHostAddress() + "/64";
      }
    } catch (UnknownHostException notAnAddress) {
      // keep it as it is
    }
    return address;
  }
}
