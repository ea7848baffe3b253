package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Issue 10, finding 4: behind a proxy every client shared the proxy's address. */
class ClientAddressTest {
  private final ClientAddress direct = new ClientAddress(Optional.empty(), Optional.empty());
  private final ClientAddress proxied =
      new ClientAddress(Optional.of("X-Forwarded-For"), Optional.of("10.0.0.1, 10.0.0.2 "));

  @Test
  void withoutConfiguration_theDirectPeerIsTheClient_whateverTheHeaderSays() {
    assertThat(direct.ofHeaderValue("192.0.2.7", "203.0.113.9")).isEqualTo("192.0.2.7");
  }

  @Test
  void headerIsRead_onlyFromATrustedProxy() {
    assertThat(proxied.ofHeaderValue("10.0.0.1", "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(proxied.ofHeaderValue("192.0.2.7", "203.0.113.9"))
        .as("a client cannot choose its address")
        .isEqualTo("192.0.2.7");
    assertThat(proxied.ofHeaderValue("10.0.0.1", null)).isEqualTo("10.0.0.1");
  }

  @Test
  void rightmostUntrustedHop_isTheClient() {
    assertThat(proxied.ofHeaderValue("10.0.0.1", "198.51.100.66, 203.0.113.9, 10.0.0.2"))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void headerWithoutAnIpLiteral_isIgnored_andNeverLookedUp() {
    assertThat(proxied.ofHeaderValue("10.0.0.1", "attacker.example")).isEqualTo("10.0.0.1");
    assertThat(proxied.ofHeaderValue("10.0.0.1", "")).isEqualTo("10.0.0.1");
    assertThat(proxied.ofHeaderValue("10.0.0.1", "999.1.1.1")).isEqualTo("10.0.0.1");
    assertThat(ClientAddress.canonical("cafe")).isEmpty();
  }

  @Test
  void ipv6Clients_areKeyedByTheirSlash64() {
    assertThat(direct.ofHeaderValue("2001:db8:1:2:aaaa::1", null))
        .isEqualTo(direct.ofHeaderValue("2001:db8:1:2:bbbb::9", null))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(direct.ofHeaderValue("2001:db8:1:3::1", null))
        .isNotEqualTo(direct.ofHeaderValue("2001:db8:1:2::1", null));
  }

  /**
   * A header on several lines is one list (RFC 9110 5.3): a proxy that adds its own line after the
   * client's is not fooled by the client's line, on REST as on the channel's upgrade.
   */
  @Test
  void headerOnSeveralLines_isOneList_soAClientsOwnLineCannotChooseItsAddress() {
    Map<String, List<String>> lines = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    lines.put("x-forwarded-for", List.of("198.51.100.66", "203.0.113.9"));
    assertThat(proxied.of("10.0.0.1", lines::get)).isEqualTo("203.0.113.9");
    assertThat(proxied.of("10.0.0.1", name -> List.of())).isEqualTo("10.0.0.1");
    assertThat(proxied.of("192.0.2.7", lines::get)).isEqualTo("192.0.2.7");
    assertThat(direct.of("192.0.2.7", lines::get)).isEqualTo("192.0.2.7");
  }
}
