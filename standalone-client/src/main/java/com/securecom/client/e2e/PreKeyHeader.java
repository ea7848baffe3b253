package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * What a PreKey message tells the responder so that it can complete X3DH, 113 bytes: {@code
 * identityKey [32] || identityDhKey [32] || baseKey [32] || signedPreKeyId [8, uint64 BE] ||
 * opkFlag [1] || oneTimePreKeyId [8, uint64 BE, 0 when absent]}.
 *
 * @param identityKey the initiator's Ed25519 identity key IKsig_A
 * @param identityDhKey the initiator's X25519 identity DH key IKdh_A
 * @param baseKey the initiator's ephemeral X25519 key EK_A, with its top bit clear: the prekey
 *     header is not part of the associated data and X25519 ignores that bit, so a set bit would be
 *     a second, unauthenticated encoding of the same session; it is refused instead
 */
public record PreKeyHeader(
    byte[] identityKey,
    byte[] identityDhKey,
    byte[] baseKey,
    long signedPreKeyId,
    OptionalLong oneTimePreKeyId) {
  public static final int BYTES = 3 * 32 + 8 + 1 + 8;

  public PreKeyHeader {
    if (identityKey.length != Ed25519.KEY_BYTES
        || identityDhKey.length != X25519.KEY_BYTES
        || baseKey.length != X25519.KEY_BYTES
        || (baseKey[31] & 0x80) != 0
        || signedPreKeyId < 0
        || (oneTimePreKeyId.isPresent() && oneTimePreKeyId.getAsLong() < 0)) {
      throw new IllegalArgumentException("prekey header field out of range");
    }
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES)
        .put(identityKey)
        .put(identityDhKey)
        .put(baseKey)
        .putLong(signedPreKeyId)
        .put((byte) (oneTimePreKeyId.isPresent() ? 1 : 0))
        .putLong(oneTimePreKeyId.orElse(0))
        .array();
  }

  /**
   * Reads 113 bytes; the caller has checked the length.
   *
   * @throws IllegalArgumentException if the flag is not 0 or 1, the id is not 0 without a one-time
   *     prekey, an id has its top bit set (ids are non-negative 63-bit integers, as in the
   *     registry), or the base key has its top bit set
   */
  static PreKeyHeader read(ByteBuffer in) {
    byte[] ik = new byte[32];
    byte[] ikDh = new byte[32];
    byte[] ek = new byte[32];
    in.get(ik).get(ikDh).get(ek);
    long spkId = in.getLong();
    byte flag = in.get();
    long opkId = in.getLong();
    if (flag == 0 && opkId == 0) {
      return new PreKeyHeader(ik, ikDh, ek, spkId, OptionalLong.empty());
    }
    if (flag == 1) {
      return new PreKeyHeader(ik, ikDh, ek, spkId, OptionalLong.of(opkId));
    }
    throw new IllegalArgumentException("bad one-time prekey flag");
  }

  /** Byte-for-byte equality (records compare arrays by reference). */
  public boolean sameAs(PreKeyHeader other) {
    return other != null && Arrays.equals(toBytes(), other.toBytes());
  }

  @Override
  public String toString() {
    return "PreKeyHeader[identityKey="
        + Bytes.base64(identityKey)
        + ", baseKey="
        + Bytes.base64(baseKey)
        + ", signedPreKeyId="
        + signedPreKeyId
        + ", oneTimePreKeyId="
        + oneTimePreKeyId
        + "]";
  }
}
