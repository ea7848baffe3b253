package com.securecom.client.store;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Fixtures: cheap Argon2id, a sample profile and state, and file helpers. */
final class TestProfiles {
  /** 64 KiB, one pass: fast enough to open a profile thousands of times. */
  static final Argon2Params CHEAP = new Argon2Params(64, 1, 1);

  /**
   * Options that keep profiles at {@link #CHEAP} (no upgrade) and refuse any header costlier than
   * it.
   */
  static final StoreOptions CHEAP_CEILING = StoreOptions.DEFAULTS.withArgon2(CHEAP, CHEAP);

  static final String MARKER = "PLAINTEXT-MARKER-5f0c7a1e";
  static final String PASSPHRASE = "correct horse battery staple";

  private TestProfiles() {}

  static char[] passphrase() {
    return PASSPHRASE.toCharArray();
  }

  static ProfileInfo info() {
    byte[] serverKey = new byte[32];
    for (int i = 0; i < serverKey.length; i++) {
      serverKey[i] = (byte) (i * 7 + 1);
    }
    return ProfileInfo.of(
        URI.create("wss://chat.example.org:8443"),
        "alice",
        serverKey,
        Instant.parse("2025-01-02T03:04:05Z"));
  }

  static JsonObject state(int version) {
    return Json.createObjectBuilder()
        .add("version", version)
        .add("identityPrivateKey", "c2VjcmV0LWlkZW50aXR5LWtleQ==")
        .add("token", MARKER + "-" + version)
        .add(
            "peers",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "bob").add("verified", true)))
        .build();
  }

  static OpenProfile create(Path dir, JsonObject state) throws IOException {
    return ProfileStore.create(dir, info(), passphrase(), state, CHEAP);
  }

  static OpenProfile open(Path dir) throws IOException, WrongPassphraseException {
    return ProfileStore.open(dir, passphrase(), CHEAP_CEILING);
  }

  static List<String> fileNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    return names;
  }
}
