package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.e2e.UntrustedBundleException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Runs the sending half of the peer protocol (a session started from a bundle, ratchet steps,
 * AES-256-GCM, the session record's encoding) on throw-away keys in a background thread, while the
 * profile's Argon2id unlock keeps the main thread busy, so that the JIT has compiled that path by
 * the time the first real text is encrypted. Nothing it makes leaves it: fresh identities, a
 * session with nobody, texts that are dropped. It stops at {@link #close} (when the unlock is done)
 * or after {@link #MAX_TEXTS}, whichever comes first; a failure in it changes nothing but the
 * timing.
 */
public final class EncryptWarmup implements AutoCloseable {
  /** Enough for the JIT's C2 compilation of the ratchet step (about 10,000 loop iterations). */
  static final int MAX_TEXTS = 5_000;

  private static final String TEXT = "a text of about the length people type in a chat, 1234567";

  private final Thread thread;
  private volatile boolean stop;
  private volatile int encrypted;

  private EncryptWarmup() {
    thread = new Thread(this::run, "securecom-warmup");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /** Starts warming up in the background. */
  public static EncryptWarmup start() {
    EncryptWarmup warmup = new EncryptWarmup();
    warmup.thread.start();
    return warmup;
  }

  /** How many throw-away texts were encrypted so far. */
  public int encrypted() {
    return encrypted;
  }

  private void run() {
    try {
      SecureRandom random = new SecureRandom();
      LocalIdentity me = LocalIdentity.generate(random);
      LocalIdentity nobody = LocalIdentity.generate(random);
      X25519.KeyPair signed = X25519.generate(random);
      PreKeyBundle bundle =
          new PreKeyBundle(
              "nobody",
              nobody.identityKey(),
              nobody.identityDhKey(),
              nobody.identityDhSignature(),
              nobody.signPreKey(1, Instant.now().getEpochSecond(), signed.publicKey()),
              null);
      SessionRecord record = new SessionRecord();
      record.initiate(new LocalUser("warmup", me, null, random), bundle);
      for (int i = 0; i < MAX_TEXTS && !stop; i++) {
        MessagePayload.Text text =
            new MessagePayload.Text(UUID.randomUUID().toString(), Instant.now(), TEXT);
        Bytes.base64(record.encrypt(bundle.identity(), text));
        if (i % 64 == 0) {
          record.toBytes(); // the session record a save writes
        }
        encrypted = i + 1;
      }
    } catch (RuntimeException | UntrustedBundleException ignored) {
      // only the timing of the real texts depends on this
    }
  }

  /** Stops the warm-up (it ends at its next text). */
  @Override
  public void close() {
    stop = true;
  }
}
