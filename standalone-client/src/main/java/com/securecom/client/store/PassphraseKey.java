package com.securecom.client.store;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (version 0x13, Bouncy Castle) from a passphrase's UTF-8 bytes to a 32-byte AES key. */
final class PassphraseKey {
  static final int KEY_BYTES = 32;

  private PassphraseKey() {}

  /**
   * Derives the key. The passphrase is encoded without a {@code String} and its bytes are zeroed
   * afterwards; the caller's {@code char[]} is left as it is.
   *
   * @throws IllegalArgumentException if the passphrase holds an unpaired surrogate (it has no UTF-8
   *     form)
   */
  static byte[] derive(char[] passphrase, byte[] salt, Argon2Params cost) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] password = utf8(passphrase);
    byte[] key = new byte[KEY_BYTES];
    try {
      generator.generateBytes(password, key);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    return key;
  }

  private static byte[] utf8(char[] passphrase) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer encoded;
    try {
      encoded = encoder.encode(CharBuffer.wrap(passphrase));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("passphrase is not valid Unicode");
    }
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }
}
