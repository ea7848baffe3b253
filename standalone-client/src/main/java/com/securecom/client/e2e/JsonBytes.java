package com.securecom.client.e2e;

import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonStructure;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Compact UTF-8 JSON to and from bytes through one writer and one reader factory for the package
 * (factories are thread-safe). A factory made per call, and a writer over an {@code OutputStream},
 * allocated and zeroed about 16 KiB of buffers for every payload written: half the bytes a text's
 * encryption allocated (JMH {@code -prof gc}; docs/performance.md, "The command-line client's send
 * path"). The bytes written are the same as before; reading is unchanged (Parsson detects the
 * encoding).
 */
final class JsonBytes {
  static final JsonProvider JSON = JsonProvider.provider();
  private static final JsonWriterFactory WRITERS = JSON.createWriterFactory(Map.of());
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());

  private JsonBytes() {}

  /** {@code json} as compact UTF-8 JSON. */
  static byte[] write(JsonStructure json) {
    StringWriter out = new StringWriter(256);
    try (JsonWriter writer = WRITERS.createWriter(out)) { // close gives its buffer back
      writer.write(json);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A reader of {@code bytes}; close it. */
  static JsonReader reader(byte[] bytes) {
    return READERS.createReader(new ByteArrayInputStream(bytes));
  }
}
