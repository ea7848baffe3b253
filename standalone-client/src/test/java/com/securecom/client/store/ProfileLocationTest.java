package com.securecom.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProfileLocationTest {
  private static final Path BASE = Path.of("/base");

  @Test
  void explicitPort_isUsed() {
    assertThat(
            ProfileLocation.directory(BASE, URI.create("wss://Chat.Example.org:8443/ws"), "alice"))
        .isEqualTo(Path.of("/base/chat.example.org_8443/alice"));
  }

  @Test
  void missingPort_isTheSchemeDefault() {
    assertThat(ProfileLocation.directory(BASE, URI.create("https://example.org"), "bob"))
        .isEqualTo(Path.of("/base/example.org_443/bob"));
    assertThat(ProfileLocation.directory(BASE, URI.create("ws://localhost/"), "bob"))
        .isEqualTo(Path.of("/base/localhost_80/bob"));
  }

  @Test
  void ipv6Literal_becomesASafeName() {
    assertThat(ProfileLocation.directory(BASE, URI.create("https://[::1]:8080"), "bob"))
        .isEqualTo(Path.of("/base/__1_8080/bob"));
  }

  @Test
  void defaultBase_isUnderTheHomeDirectory() {
    assertThat(ProfileLocation.directory(URI.create("https://h:1"), "bob"))
        .isEqualTo(
            Path.of(System.getProperty("user.home"), ".securecom", "profiles", "h_1", "bob"));
  }

  @Test
  void serverDirectory_isTheParentOfEveryProfileOfThatServer() {
    URI server = URI.create("wss://h:1/ws");
    assertThat(ProfileLocation.serverDirectory(BASE, server))
        .isEqualTo(ProfileLocation.directory(BASE, server, "bob").getParent());
  }

  @Test
  void unsafeUsernamesAndHostlessUris_areRefused() {
    URI server = URI.create("https://h:1");
    for (String name :
        new String[] {"", ".", "..", "...", "a/b", "../x", "Alice", "a\\b", "ab", "a".repeat(33)}) {
      assertThatThrownBy(() -> ProfileLocation.directory(BASE, server, name))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ProfileLocation.directory(BASE, URI.create("file:///x"), "bob"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProfileLocation.directory(BASE, URI.create("ftp://h"), "bob"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
