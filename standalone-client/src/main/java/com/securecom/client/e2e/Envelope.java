package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.ByteBuffer;

/**
 * The opaque bytes the relay carries between two users (base64 in the relay's {@code envelope}
 * field):
 *
 * <pre>
 * PreKey message: 0x02 (version) || 0x01 (type) || PreKeyHeader [113] || MessageHeader [40] || ciphertext
 * Normal message: 0x02 (version) || 0x02 (type) || MessageHeader [40] || ciphertext
 * </pre>
 *
 * where the ciphertext is AES-256-GCM output over a {@link Padding padded} plaintext (a multiple of
 * 256 bytes) with its 16-byte tag. Parsing checks only the layout; nothing in an envelope is
 * trusted until its ciphertext authenticates.
 */
public sealed interface Envelope permits Envelope.PreKeyMessage, Envelope.NormalMessage {
  /** Peer protocol version 2: padded, typed payloads. Version 1 (unpadded) is refused. */
  byte VERSION = 0x02;

  byte TYPE_PREKEY = 0x01;
  byte TYPE_NORMAL = 0x02;

  MessageHeader header();

  byte[] ciphertext();

  byte[] toBytes();

  /**
   * The first messages of a session, sent by the initiator until it has heard from the responder.
   */
  record PreKeyMessage(PreKeyHeader preKey, MessageHeader header, byte[] ciphertext)
      implements Envelope {
    @Override
    public byte[] toBytes() {
      return Bytes.concat(
          new byte[] {VERSION, TYPE_PREKEY}, preKey.toBytes(), header.toBytes(), ciphertext);
    }
  }

  /** Every other message. */
  record NormalMessage(MessageHeader header, byte[] ciphertext) implements Envelope {
    @Override
    public byte[] toBytes() {
      return Bytes.concat(new byte[] {VERSION, TYPE_NORMAL}, header.toBytes(), ciphertext);
    }
  }

  /**
   * Splits an envelope into its parts.
   *
   * @throws DecryptionFailedException if it is not a well-formed version 2 envelope (unknown
   *     version or type, a ciphertext that is not a GCM tag plus a positive multiple of 256 bytes,
   *     a one-time prekey flag other than 0 or 1, a non-zero id with flag 0, a key id above 2^63 -
   *     1, or a base key with its top bit set)
   */
  static Envelope parse(byte[] envelope) throws DecryptionFailedException {
    int fixed =
        envelope.length >= 2 && envelope[1] == TYPE_PREKEY
            ? 2 + PreKeyHeader.BYTES + MessageHeader.BYTES
            : 2 + MessageHeader.BYTES;
    int sealed = envelope.length - fixed - InsecureNonceAesGcm.TAG_BYTES;
    if (sealed < Padding.BLOCK
        || sealed % Padding.BLOCK != 0
        || envelope[0] != VERSION
        || (envelope[1] != TYPE_PREKEY && envelope[1] != TYPE_NORMAL)) {
      throw new DecryptionFailedException();
    }
    ByteBuffer in = ByteBuffer.wrap(envelope, 2, envelope.length - 2);
    try {
      PreKeyHeader preKey = envelope[1] == TYPE_PREKEY ? PreKeyHeader.read(in) : null;
      MessageHeader header = MessageHeader.read(in);
      byte[] ciphertext = new byte[in.remaining()];
      in.get(ciphertext);
      return preKey == null
          ? new NormalMessage(header, ciphertext)
          : new PreKeyMessage(preKey, header, ciphertext);
    } catch (IllegalArgumentException malformed) {
      throw new DecryptionFailedException();
    }
  }
}
