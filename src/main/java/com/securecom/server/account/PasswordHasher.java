package com.securecom.server.account;

import com.securecom.protocol.crypto.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Argon2id password hashing (Bouncy Castle) in the PHC string format {@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with a 16-byte random salt and a 32-byte hash.
 *
 * <p>Each hash holds {@code m} KiB of memory while it runs; a {@link HashGate} bounds how many run
 * at once so that a burst of logins cannot exhaust the heap, and lets priority work (a login from a
 * known address) go first. Verification compares in constant time.
 */
public class PasswordHasher {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /**
   * Bounds on stored parameters, so that a damaged hash cannot make one verification exhaust the
   * heap.
   */
  private static final int MAX_MEMORY_KIB = 1 << 20;

  private static final int MAX_ITERATIONS = 10;
  private static final int MAX_PARALLELISM = 16;

  private final Argon2Parameters parameters;
  private final SecureRandom random;
  private final HashGate gate;
  private final String dummyHash;

  public PasswordHasher(Argon2Parameters parameters, int maxConcurrent, SecureRandom random) {
    this.parameters = parameters;
    this.random = random;
    this.gate = new HashGate(maxConcurrent);
    this.dummyHash = encode("not a password: timing equaliser for unknown users", false);
  }

  public String hash(String password) {
    return encode(password, false);
  }

  private String encode(String password, boolean priority) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, parameters, priority);
    return "$argon2id$v=19$m="
        + parameters.memoryKib()
        + ",t="
        + parameters.iterations()
        + ",p="
        + parameters.parallelism()
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** True if {@code password} matches {@code phcHash}; a malformed hash never matches. */
  public boolean verify(String password, String phcHash) {
    return verify(password, phcHash, false);
  }

  /** {@link #verify(String, String)}, going before other waiting hashes when {@code priority}. */
  public boolean verify(String password, String phcHash, boolean priority) {
    Matcher m = PHC.matcher(phcHash);
    if (!m.matches()) {
      return false;
    }
    int memoryKib = Integer.parseInt(m.group(1));
    int iterations = Integer.parseInt(m.group(2));
    int parallelism = Integer.parseInt(m.group(3));
    if (memoryKib > MAX_MEMORY_KIB
        || iterations > MAX_ITERATIONS
        || parallelism > MAX_PARALLELISM) {
      return false;
    }
    Argon2Parameters stored;
    try {
      stored = new Argon2Parameters(memoryKib, iterations, parallelism);
    } catch (IllegalArgumentException impossible) {
      return false;
    }
    byte[] expected = B64D.decode(m.group(5));
    return Bytes.constantTimeEquals(
        derive(password, B64D.decode(m.group(4)), stored, priority), expected);
  }

  /**
   * Spends the same work as {@link #verify} on a hash that matches nothing (for unknown usernames).
   */
  public void verifyDummy(String password) {
    verify(password, dummyHash, false);
  }

  /** {@link #verifyDummy(String)}, going before other waiting hashes when {@code priority}. */
  public void verifyDummy(String password, boolean priority) {
    verify(password, dummyHash, priority);
  }

  /** The most hashes that ever ran at once (never more than the configured bound). */
  public int peakConcurrentHashes() {
    return gate.peak();
  }

  /** True if {@code phcHash} was made with other parameters than the current ones. */
  public boolean needsRehash(String phcHash) {
    return !phcHash.startsWith(
        "$argon2id$v=19$m="
            + parameters.memoryKib()
            + ",t="
            + parameters.iterations()
            + ",p="
            + parameters.parallelism()
            + "$");
  }

  private byte[] derive(String password, byte[] salt, Argon2Parameters p, boolean priority) {
    org.bouncycastle.crypto.params.Argon2Parameters params =
        new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
            .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(p.memoryKib())
            .withIterations(p.iterations())
            .withParallelism(p.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[32];
    gate.enter(priority);
    try {
      generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    } finally {
      gate.leave(priority);
    }
    return out;
  }
}
