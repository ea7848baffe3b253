package com.securecom.server.channel.container;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who sent an upgrade, kept for its connection. */
class UpgradeClientTest {
  @Test
  void headers_areReadWhateverTheCaseOfTheirName_andInTheOrderSent() {
    UpgradeClient client =
        new UpgradeClient(
            "127.0.0.1", Map.of("x-forwarded-for", List.of("198.51.100.66", "203.0.113.9")));

    assertThat(client.header("X-Forwarded-For")).containsExactly("198.51.100.66", "203.0.113.9");
    assertThat(client.header("Forwarded")).isEmpty();
  }

  @Test
  void aSessionWithoutARecordedUpgrade_hasNoClient() {
    assertThat(UpgradeClient.of(session(new HashMap<>()))).isEmpty();
  }

  @Test
  void theRecordedClient_isReadFromTheSessionsUserProperties() {
    Map<String, Object> properties = new HashMap<>();
    UpgradeClient client = new UpgradeClient("192.0.2.7", Map.of());
    properties.put(UpgradeClient.class.getName(), client);

    assertThat(UpgradeClient.of(session(properties))).contains(client);
  }

  private static Session session(Map<String, Object> userProperties) {
    return (Session)
        Proxy.newProxyInstance(
            Session.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getUserProperties")) {
                return userProperties;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
