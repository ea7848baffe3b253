package com.securecom.server.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates handovers between the nodes of one cluster. Anyone who reaches the data grid's port
 * can publish on a node's topic (Hazelcast has no authentication of its own), so each handover
 * carries an HMAC-SHA256 tag under a key that only holders of the server key file have ({@code
 * ServerIdentity.clusterHandoverKey()}).
 *
 * <p>Sealed layout: {@code sentAt[8] || handover || tag[32]}, where {@code sentAt} is the sender's
 * clock in epoch milliseconds (big-endian) and {@code tag = HMAC-SHA256(key, "SecureCom handover
 * v1" || destination member id || sentAt || handover)}. Binding the destination stops a handover
 * meant for one node from being replayed to another; {@code sentAt} bounds a replay to the same
 * node to {@link #MAX_AGE_MILLIS} (the nodes' clocks must agree to within that). Within that window
 * a replay is possible and harmless by construction: deliveries are deduplicated per connection,
 * receipts and revocations are idempotent, and "connected elsewhere" can at worst end the
 * connection it was first sent about.
 */
final class HandoverSeal {
  static final int TAG_BYTES = 32;
  static final long MAX_AGE_MILLIS = 120_000;
  private static final byte[] LABEL =
      "SecureCom handover v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final SecretKeySpec key;

  HandoverSeal(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a handover key is 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** {@code handover} sealed for the node {@code destination}, stamped {@code now}. */
  byte[] seal(String destination, byte[] handover, long now) {
    byte[] sealed = new byte[8 + handover.length + TAG_BYTES];
    ByteBuffer.wrap(sealed).putLong(now).put(handover);
    byte[] tag = tag(destination, sealed, 8 + handover.length);
    System.arraycopy(tag, 0, sealed, 8 + handover.length, TAG_BYTES);
    return sealed;
  }

  /**
   * The handover inside {@code sealed}, if it was sealed with this key for {@code self} at most
   * {@link #MAX_AGE_MILLIS} before or after {@code now}.
   *
   * @throws ForgedHandoverException otherwise (one reason for every failure: the tag decides)
   */
  byte[] open(String self, byte[] sealed, long now) {
    if (sealed.length < 8 + 1 + TAG_BYTES) {
      throw new ForgedHandoverException();
    }
    int body = sealed.length - TAG_BYTES;
    byte[] expected = tag(self, sealed, body);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(sealed, body, sealed.length))) {
      throw new ForgedHandoverException();
    }
    long sentAt = ByteBuffer.wrap(sealed).getLong();
    if (Math.abs(now - sentAt) > MAX_AGE_MILLIS) {
      throw new ForgedHandoverException();
    }
    return Arrays.copyOfRange(sealed, 8, body);
  }

  private byte[] tag(String destination, byte[] sealed, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(LABEL);
      mac.update(utf(destination));
      mac.update(sealed, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  /**
   * The destination as DataOutput's modified UTF-8 with its length, so that no two destinations
   * share a prefix.
   */
  private static byte[] utf(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A handover that does not carry this cluster's tag for this node, or is too old. */
  static final class ForgedHandoverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ForgedHandoverException() {
      super("handover not authenticated", null, false, false);
    }
  }
}
