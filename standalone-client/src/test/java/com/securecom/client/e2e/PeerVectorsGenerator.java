package com.securecom.client.e2e;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the peer protocol's published vectors: {@code x3dh.json}, {@code ratchet.json}, {@code
 * safety-number.json} and {@code envelope.json}. Each generator computes every value from the
 * document with bare primitives ({@link Documented}) and through the implementation, and refuses to
 * write if they differ. The command that runs it is in docs/protocol.md, "Peer protocol test
 * vectors".
 */
public final class PeerVectorsGenerator {
  private PeerVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    for (Map.Entry<String, JsonObject> file : build().entrySet()) {
      Path path = directory.resolve(file.getKey());
      VectorFiles.write(path, file.getValue());
      System.out.println("wrote " + path.toAbsolutePath());
    }
  }

  /** File name to content, for every peer protocol vector file. */
  static Map<String, JsonObject> build() throws Exception {
    Map<String, JsonObject> files = new LinkedHashMap<>();
    files.put("x3dh.json", X3dhVectorsGenerator.build());
    files.put("ratchet.json", RatchetVectorsGenerator.build());
    files.put("safety-number.json", SafetyNumberVectorsGenerator.build());
    files.put("envelope.json", EnvelopeVectorsGenerator.build());
    return files;
  }
}
