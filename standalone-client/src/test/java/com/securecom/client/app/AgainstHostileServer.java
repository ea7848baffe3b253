package com.securecom.client.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the tests that run real clients against a {@link HostileServer}: each test gets a
 * fresh server and profile directory, and every client it made is closed after it.
 */
abstract class AgainstHostileServer {
  @TempDir Path home;

  final HostileServer server = new HostileServer();
  final List<TestClient> clients = new ArrayList<>();

  /**
   * A new client with its own profile, registered with the server as {@code relayName} once it
   * publishes.
   */
  TestClient client(String relayName) throws Exception {
    TestClient c = TestClient.create(server, home, relayName);
    clients.add(c);
    return c;
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }
}
