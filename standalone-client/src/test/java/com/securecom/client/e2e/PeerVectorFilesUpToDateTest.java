package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed peer protocol vector files are what the generators write, so nobody edits one by
 * hand or changes the protocol without regenerating (and noticing that the browser client breaks).
 */
class PeerVectorFilesUpToDateTest {
  @Test
  void everyPeerVectorFile_isWhatTheGeneratorWrites() throws Exception {
    Map<String, JsonObject> generated = PeerVectorsGenerator.build();
    assertThat(generated)
        .containsOnlyKeys("x3dh.json", "ratchet.json", "safety-number.json", "envelope.json");
    for (Map.Entry<String, JsonObject> file : generated.entrySet()) {
      assertThat(VectorFiles.load("/vectors/" + file.getKey()))
          .as(file.getKey())
          .isEqualTo(file.getValue());
    }
  }
}
