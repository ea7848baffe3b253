package com.securecom.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain http and ws only to this machine, judged from the address as written; TLS to anywhere. */
class TransportPolicyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8080",
        "http://LOCALHOST:8080/",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://[::1]:8080",
        "ws://localhost:8080/ws",
        "ws://127.0.0.1:1/ws",
        "https://chat.example.org",
        "https://192.0.2.7:8443",
        "wss://chat.example.org/ws",
        "HTTPS://Chat.Example.Org"
      })
  void tlsAnywhere_andPlainToLoopback_areAllowed(String address) {
    URI uri = URI.create(address);

    assertThat(TransportPolicy.require(uri)).isSameAs(uri);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://chat.example.org",
        "http://chat.example.org:8080/",
        "http://192.0.2.7:8080",
        "http://10.0.0.1",
        "http://[2001:db8::1]:8080",
        "ws://chat.example.org/ws",
        "http://localhost.example.org",
        "http://127.0.0.1.nip.io",
        "http://0.0.0.0:8080",
        "http://0127.0.0.1",
        "http://[::ffff:192.0.2.7]"
      })
  void plainToAnotherHost_isRefused_withTheSecureAddressToUse(String address) {
    assertThatThrownBy(() -> TransportPolicy.require(URI.create(address)))
        .isInstanceOf(InsecureTransportException.class)
        .hasMessageContaining("in the clear")
        .hasMessageContaining(address.startsWith("ws") ? "use wss://" : "use https://");
  }

  @Test
  void aNameIsNeverResolved_soANameOfThisMachineIsStillRefused() {
    // "localhost4" resolves to 127.0.0.1 on many systems; only the name localhost itself counts as
    // loopback.
    assertThat(TransportPolicy.isLoopback("localhost4")).isFalse();
    assertThat(TransportPolicy.isLoopback("localhost")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://chat.example.org",
        "file:///etc/passwd",
        "chat.example.org",
        "https:///nohost",
        "http://256.0.0.1"
      })
  void otherSchemesOrNoHost_areRefused(String address) {
    assertThatThrownBy(() -> TransportPolicy.require(URI.create(address)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serverApi_refusesPlainHttpToAnotherHost_whenMade() {
    assertThatThrownBy(() -> new ServerApi(URI.create("http://chat.example.org:8080")))
        .isInstanceOf(InsecureTransportException.class);
    assertThat(new ServerApi(URI.create("https://chat.example.org")).channelUri())
        .isEqualTo(URI.create("wss://chat.example.org/ws"));
  }

  @Test
  void relayConnection_refusesPlainWsToAnotherHost_beforeConnecting() {
    assertThatThrownBy(
            () ->
                RelayConnection.open(
                    URI.create("ws://chat.example.org/ws"), new byte[32], "token", null))
        .isInstanceOf(InsecureTransportException.class);
  }
}
