package com.securecom.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The {@code state.bin} layout stays what its javadoc documents, so files written by earlier
 * versions still open.
 */
class StateFileTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] SALT = HEX.parseHex("404142434445464748494a4b4c4d4e4f");
  private static final byte[] PROFILE_JSON_DIGEST =
      Bytes.sha256("{\"username\":\"alice\"}".getBytes(StandardCharsets.UTF_8));
  private static final byte[] PLAINTEXT =
      "{\"state\":\"known answer\"}".getBytes(StandardCharsets.UTF_8);

  /**
   * Made independently of this code base (Python's {@code cryptography} AESGCM) from the documented
   * layout: the fixed header for SALT and Argon2id (65536 KiB, 3, 4), nonce a0..ab, AES-256-GCM of
   * PLAINTEXT under KEY with associated data header || nonce || PROFILE_JSON_DIGEST.
   */
  private static final String KNOWN_FILE =
      "5343535401"
          + "404142434445464748494a4b4c4d4e4f"
          + "000100000000000304"
          + "a0a1a2a3a4a5a6a7a8a9aaab"
          + "9d3a0f5924bf679d5847ecbd680daefe11c22a67f7c56011"
          + "bddf83cfc5d7b16387b755d9c9176ea8";

  @Test
  void knownFile_opensToItsPlaintext() throws Exception {
    byte[] file = HEX.parseHex(KNOWN_FILE);

    assertThat(StateFile.readHeader(file, Argon2Params.MAX_ACCEPTED))
        .satisfies(header -> assertThat(header.salt()).isEqualTo(SALT))
        .satisfies(header -> assertThat(header.cost()).isEqualTo(Argon2Params.DEFAULT));
    assertThat(StateFile.open(KEY, file, PROFILE_JSON_DIGEST)).isEqualTo(PLAINTEXT);
  }

  @Test
  void sealedFile_isFixedHeaderNonceAndGcmOverEverythingBeforeTheCiphertextAndTheDigest() {
    byte[] fixedHeader = StateFile.fixedHeader(SALT, Argon2Params.DEFAULT);

    byte[] file = StateFile.seal(KEY, fixedHeader, PROFILE_JSON_DIGEST, PLAINTEXT);

    byte[] header = Arrays.copyOf(file, StateFile.HEADER_BYTES);
    byte[] nonce = Arrays.copyOfRange(file, StateFile.FIXED_HEADER_BYTES, StateFile.HEADER_BYTES);
    assertThat(HEX.formatHex(fixedHeader))
        .isEqualTo(KNOWN_FILE.substring(0, 2 * StateFile.FIXED_HEADER_BYTES));
    assertThat(Arrays.copyOf(file, StateFile.FIXED_HEADER_BYTES)).isEqualTo(fixedHeader);
    assertThat(Arrays.copyOfRange(file, StateFile.HEADER_BYTES, file.length))
        .isEqualTo(
            new InsecureNonceAesGcm(KEY)
                .seal(nonce, PLAINTEXT, Bytes.concat(header, PROFILE_JSON_DIGEST)));
  }
}
