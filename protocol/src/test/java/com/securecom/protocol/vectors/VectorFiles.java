package com.securecom.protocol.vectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reading and writing the published JSON vector files ({@code protocol/src/test/resources/vectors},
 * {@code /vectors/} on the test class path); the client's tests use it too, through this module's
 * test-jar.
 */
public final class VectorFiles {
  /** Where the generators write when run from the repository root without arguments. */
  public static final Path DEFAULT_DIRECTORY =
      Path.of("protocol", "src", "test", "resources", "vectors");

  private static final HexFormat HEX = HexFormat.of();

  private VectorFiles() {}

  /** A vector file from the test classpath, e.g. {@code /vectors/channel.json}. */
  public static JsonObject load(String resource) {
    InputStream in = VectorFiles.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(resource + " is not on the test classpath");
    }
    try (in;
        JsonReader reader = Json.createReader(in)) {
      return reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code json} pretty-printed, UTF-8, with a final newline. */
  public static void write(Path file, JsonObject json) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonWriter writer =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
      writer.writeObject(json);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text.toString().strip() + "\n", StandardCharsets.UTF_8);
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  public static byte[] unhex(String hex) {
    return HEX.parseHex(hex);
  }
}
