package com.securecom.protocol.devices;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.Usernames;
import com.securecom.protocol.crypto.BlockPadding;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The provisioning message of linking (docs/protocol.md, "Linking a device"): what the existing
 * device puts in the new device's mailbox, sealed to the key and secret of its {@link LinkCode}.
 *
 * <pre>
 * shared       = X25519(P_priv, E_pub)             all zeros: refused (small order)
 * key || nonce = HKDF-SHA256(ikm = shared, salt = s, info = "SecureCom link v1 message", L = 44)
 * header       = 0x01 || P_pub [32] || u32(linkingDeviceId) || u32(newDeviceId)
 *                || u8(len(username)) || username
 * AD           = "SecureCom link v1" || header || E_pub [32] || mailboxId [16]
 * message      = header || AES-256-GCM(key, nonce, pad1024(plaintext), AD)
 * </pre>
 *
 * Security guarantee: only a holder of {@code E}'s private key who also knows {@code s} opens it,
 * and the AD binds the account, both device ids, both one-use keys and the mailbox, so the server
 * can neither read it nor move it to another link. The key and nonce are derived from a fresh
 * {@code P} and seal exactly one message, so the nonce never repeats under a key.
 */
public final class ProvisioningCipher {
  /** The version byte of the header. */
  public static final int VERSION = 1;

  /** The padding block: the plaintext's size is hidden to within 1,024 bytes. */
  public static final int BLOCK = 1_024;

  /**
   * The largest message: what a mailbox takes (the server's {@code LinkMailboxes}), so that its
   * base64 fits the API's body limit.
   */
  public static final int MAX_MESSAGE_BYTES = 184_320;

  private static final byte[] AD_LABEL = Bytes.ascii("SecureCom link v1");
  private static final byte[] INFO = Bytes.ascii("SecureCom link v1 message");
  private static final int FIXED_HEADER = 1 + X25519.KEY_BYTES + 4 + 4 + 1;

  private ProvisioningCipher() {}

  /** The readable part of a message, authenticated once {@link #open} returned it. */
  public record Header(byte[] linkingKey, int linkingDeviceId, int newDeviceId, String username) {
    /**
     * @throws IllegalArgumentException if a device id or the username breaks its rule
     */
    public Header {
      if (linkingKey == null
          || linkingKey.length != X25519.KEY_BYTES
          || !DeviceIds.isValid(linkingDeviceId)
          || !DeviceIds.isValid(newDeviceId)
          || !Usernames.isValid(username)) {
        throw new IllegalArgumentException("a header holds a key, two device ids and a username");
      }
      linkingKey = linkingKey.clone();
    }

    byte[] toBytes() {
      byte[] name = username.getBytes(StandardCharsets.US_ASCII);
      return ByteBuffer.allocate(FIXED_HEADER + name.length)
          .put((byte) VERSION)
          .put(linkingKey)
          .putInt(linkingDeviceId)
          .putInt(newDeviceId)
          .put((byte) name.length)
          .put(name)
          .array();
    }
  }

  /** An opened message: its header and its plaintext (the provisioning JSON). */
  public record Opened(Header header, byte[] plaintext) {}

  /**
   * Seals {@code plaintext} for the device showing {@code code}.
   *
   * @param linkingPrivateKey {@code P_priv}: a fresh X25519 private key, used for this message only
   * @throws IllegalArgumentException if the message would exceed {@link #MAX_MESSAGE_BYTES}, or a
   *     header part breaks its rule
   * @throws DecryptionFailedException if the code's key is of small order ({@link LinkCode#read}
   *     refuses such codes)
   */
  public static byte[] seal(
      LinkCode code,
      byte[] linkingPrivateKey,
      int linkingDeviceId,
      int newDeviceId,
      String username,
      byte[] plaintext)
      throws DecryptionFailedException {
    Header header =
        new Header(X25519.publicKey(linkingPrivateKey), linkingDeviceId, newDeviceId, username);
    byte[] headerBytes = header.toBytes();
    byte[] padded = BlockPadding.pad(plaintext, BLOCK);
    if (headerBytes.length + padded.length + InsecureNonceAesGcm.TAG_BYTES > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("the provisioning message is too large");
    }
    byte[][] keyAndNonce =
        keyAndNonce(X25519.agree(linkingPrivateKey, code.ephemeralKey()), code.secret());
    byte[] sealed =
        new InsecureNonceAesGcm(keyAndNonce[0])
            .seal(keyAndNonce[1], padded, associatedData(headerBytes, code));
    return Bytes.concat(headerBytes, sealed);
  }

  /**
   * Opens a message with the new device's half of the code: {@code ephemeralPrivateKey} ({@code
   * E_priv}) and the code it showed.
   *
   * @throws DecryptionFailedException if the message is malformed, does not authenticate, or its
   *     padding is wrong: the one answer for every failure
   */
  public static Opened open(LinkCode code, byte[] ephemeralPrivateKey, byte[] message)
      throws DecryptionFailedException {
    if (message == null || message.length < FIXED_HEADER || message.length > MAX_MESSAGE_BYTES) {
      throw new DecryptionFailedException();
    }
    ByteBuffer in = ByteBuffer.wrap(message);
    byte version = in.get();
    byte[] linkingKey = new byte[X25519.KEY_BYTES];
    in.get(linkingKey);
    int linkingDeviceId = in.getInt();
    int newDeviceId = in.getInt();
    int nameLength = in.get() & 0xFF;
    if (version != VERSION || in.remaining() < nameLength + InsecureNonceAesGcm.TAG_BYTES) {
      throw new DecryptionFailedException();
    }
    byte[] name = new byte[nameLength];
    in.get(name);
    Header header;
    try {
      header =
          new Header(
              linkingKey,
              linkingDeviceId,
              newDeviceId,
              new String(name, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException malformed) {
      throw new DecryptionFailedException();
    }
    byte[] headerBytes = Arrays.copyOf(message, in.position());
    if (!Arrays.equals(headerBytes, header.toBytes())) {
      throw new DecryptionFailedException(); // a name byte outside ASCII
    }
    byte[][] keyAndNonce =
        keyAndNonce(X25519.agree(ephemeralPrivateKey, linkingKey), code.secret());
    byte[] padded =
        new InsecureNonceAesGcm(keyAndNonce[0])
            .open(
                keyAndNonce[1],
                message,
                in.position(),
                in.remaining(),
                associatedData(headerBytes, code));
    return new Opened(header, BlockPadding.unpad(padded, BLOCK));
  }

  private static byte[][] keyAndNonce(byte[] shared, byte[] secret) {
    byte[] okm = Hkdf.sha256(shared, secret, INFO, 44);
    return new byte[][] {Arrays.copyOf(okm, 32), Arrays.copyOfRange(okm, 32, 44)};
  }

  private static byte[] associatedData(byte[] header, LinkCode code) {
    return Bytes.concat(AD_LABEL, header, code.ephemeralKey(), code.mailboxId());
  }
}
