package com.securecom.server.testing;

import com.securecom.server.account.Argon2Parameters;
import com.securecom.server.account.PasswordHasher;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real hasher with cheap parameters, counting how often it is asked to do Argon2id work, so
 * that tests can prove a throttled request was refused before any hashing.
 */
public final class CountingPasswordHasher extends PasswordHasher {
  /**
   * Cheap enough for unit tests (1 MiB, one pass); production uses {@link
   * Argon2Parameters#OWASP_MINIMUM}.
   */
  public static final Argon2Parameters CHEAP = new Argon2Parameters(1024, 1, 1);

  private final AtomicInteger hashes = new AtomicInteger();
  private final AtomicInteger verifications = new AtomicInteger();

  public CountingPasswordHasher() {
    this(CHEAP);
  }

  public CountingPasswordHasher(Argon2Parameters parameters) {
    super(parameters, 4, new SecureRandom());
  }

  @Override
  public String hash(String password) {
    if (hashes != null) { // null while the superclass constructor makes its dummy hash
      hashes.incrementAndGet();
    }
    return super.hash(password);
  }

  @Override
  public boolean verify(String password, String phcHash, boolean priority) {
    verifications.incrementAndGet();
    return super.verify(password, phcHash, priority);
  }

  /** Calls of {@link #hash} since construction. */
  public int hashes() {
    return hashes.get();
  }

  /**
   * Verifications, real or dummy (every one goes through {@link #verify(String, String, boolean)}).
   */
  public int verifications() {
    return verifications.get();
  }

  /** Every Argon2id computation asked for so far. */
  public int argon2Work() {
    return hashes() + verifications();
  }
}
