package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.WireMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's {@code preKeysLow} notice (docs/protocol.md, "Relay messages"): the client tops its
 * pool up at once.
 */
class PreKeysLowTest {
  @TempDir Path home;

  private final HostileServer server = new HostileServer();
  private final List<TestClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  @Test
  void preKeysLow_makesTheClientUploadOneTimePreKeys_whileConnected() throws Exception {
    TestClient alice = TestClient.create(server, home, "alice");
    clients.add(alice);
    alice.publish().connect();
    assertThat(server.preKeyUploads).as("the pool was full at connect").isEmpty();

    server.oneTimePreKeyCount = 3;
    alice.connection().push(new WireMessage.PreKeysLow("3"));
    server.settle();

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.preKeyUploads.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.preKeyUploads).hasSize(1);
    assertThat(server.preKeyUploads.get(0).getJsonArray("preKeys"))
        .hasSize(PreKeyMaintenance.PREKEY_BATCH);
  }
}
