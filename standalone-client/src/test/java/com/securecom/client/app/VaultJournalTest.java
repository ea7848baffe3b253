package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.GroupStateJson;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a vault saves as journal records reads back as exactly the state it had in memory, for every
 * kind of change a conversation makes (ratchet steps, pins, outbox, sent texts and their receipts,
 * received ids, groups); and closing folds the journal into the snapshot.
 */
class VaultJournalTest extends AgainstHostileServer {
  private static final char[] PASSPHRASE = "a passphrase nobody guesses 7#".toCharArray();

  private static JsonObject onDisk(TestClient client) throws Exception {
    try (Vault read = Vault.openForReading(client.vault.directory(), PASSPHRASE)) {
      return read.data().toJson();
    }
  }

  private static JsonObject inMemory(TestClient client) {
    synchronized (client.vault) {
      client.vault.save(); // also what the server's "accepted" left for later
      return client.vault.data().toJson();
    }
  }

  @Test
  void aConversationSavedAsJournalRecords_readsBackAsTheStateInMemory() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    for (int i = 0; i < 5; i++) {
      alice.send("bob", "hello " + i);
      server.settle();
      bob.send("alice", "hi " + i);
      server.settle();
    }
    assertThat(bob.texts()).hasSize(5);

    assertThat(Files.exists(alice.vault.directory().resolve("journal.bin"))).isTrue();
    server.settle();
    for (TestClient client : new TestClient[] {alice, bob}) {
      JsonObject saved = inMemory(client);
      assertThat(onDisk(client)).isEqualTo(saved);
    }
  }

  @Test
  void groupChangesSavedAsJournalRecords_readBackAsTheStateInMemory() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    TestClient carol = client("carol").publish().connect();
    GroupState team = alice.messenger().createGroup("team", List.of("bob", "carol"));
    server.settle();
    alice.messenger().removeMembers(team.id(), List.of("carol"));
    server.settle();

    for (TestClient client : new TestClient[] {alice, bob, carol}) {
      assertThat(Files.exists(client.vault.directory().resolve("journal.bin"))).isTrue();
      JsonObject saved = inMemory(client);
      assertThat(onDisk(client)).isEqualTo(saved);
    }
    JsonObject carolsGroup = onDisk(carol).getJsonObject("groups").getJsonObject(team.id().hex());
    assertThat(carolsGroup.getString("status")).isEqualTo("REMOVED");
    assertThat(GroupStateJson.decode(carolsGroup.getString("state")).members())
        .containsExactly("alice", "bob");
  }

  @Test
  void closing_foldsTheJournalIntoTheSnapshot() throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    JsonObject before = inMemory(alice);

    alice.close();

    assertThat(Files.exists(alice.vault.directory().resolve("journal.bin"))).isFalse();
    assertThat(onDisk(alice)).isEqualTo(before);
  }
}
