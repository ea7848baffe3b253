package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bytes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading bundles and identities from the registry's JSON, as docs/protocol.md's REST API gives
 * them.
 */
class RegistryJsonTest {
  private final TestUser bob = new TestUser("bob", new SecureRandom());

  private static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private String bundleJson(PreKeyBundle b) {
    return "{\"identityKey\":\""
        + Bytes.base64(b.identityKey())
        + "\",\"identityDhKey\":{\"publicKey\":\""
        + Bytes.base64(b.identityDhKey())
        + "\",\"signature\":\""
        + Bytes.base64(b.identityDhSignature())
        + "\"},\"signedPreKey\":{\"keyId\":"
        + b.signedPreKey().keyId()
        + ",\"publicKey\":\""
        + Bytes.base64(b.signedPreKey().publicKey())
        + "\",\"createdAt\":"
        + b.signedPreKey().createdAt()
        + ",\"signature\":\""
        + Bytes.base64(b.signedPreKey().signature())
        + "\"}"
        + (b.oneTimePreKey() == null
            ? ""
            : ",\"oneTimePreKey\":{\"keyId\":"
                + b.oneTimePreKey().keyId()
                + ",\"publicKey\":\""
                + Bytes.base64(b.oneTimePreKey().publicKey())
                + "\"}")
        + "}";
  }

  @Test
  void bundle_isReadAndVerifies() throws Exception {
    for (boolean withOpk : List.of(true, false)) {
      PreKeyBundle original = bob.bundle(withOpk);
      PreKeyBundle read = PreKeyBundle.fromRegistryJson("bob", json(bundleJson(original)));
      read.verify();
      assertThat(read.identityKey()).isEqualTo(original.identityKey());
      assertThat(read.signedPreKey().keyId()).isEqualTo(original.signedPreKey().keyId());
      assertThat(read.oneTimePreKey() == null).isEqualTo(!withOpk);
      Session.initiate(
          new TestUser("alice", new SecureRandom()).identity, "alice", read, new SecureRandom());
    }
  }

  @Test
  void identity_isReadAndVerifies() {
    PeerIdentity identity =
        PeerIdentity.fromRegistryJson("bob", json(bundleJson(bob.bundle(false))));
    assertThat(identity.isSelfConsistent()).isTrue();
    assertThat(identity.identityDhKey()).isEqualTo(bob.identity.identityDhKey());
  }

  @Test
  void malformedJson_isRefused() {
    String good = bundleJson(bob.bundle(true));
    List<String> bad =
        List.of(
            "{}",
            good.replaceFirst("\"identityDhKey\":\\{[^}]*\\}", "\"identityDhKey\":\"x\""),
            good.replaceFirst(
                "\"signedPreKey\":\\{\"keyId\":1,\"publicKey\"",
                "\"signedPreKey\":{\"keyId\":1,\"p\""),
            good.replaceFirst("\"keyId\":1", "\"keyId\":-1"),
            good.replaceFirst("\"keyId\":1", "\"keyId\":1.5"),
            good.replaceFirst("\"keyId\":1", "\"keyId\":99999999999999999999"),
            good.replaceFirst("\"keyId\":1", "\"keyId\":\"1\""),
            good.replaceFirst("\"createdAt\":[0-9]+", "\"createdAt\":\"1\""),
            good.replaceFirst("\"createdAt\":[0-9]+", "\"createdAt\":9007199254740992"),
            good.replaceFirst("\"createdAt\":[0-9]+,", ""),
            good.replaceFirst("\"identityKey\":\"", "\"identityKey\":\"*"));
    for (String text : bad) {
      JsonObject parsed = json(text);
      assertThatThrownBy(() -> PreKeyBundle.fromRegistryJson("bob", parsed))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
