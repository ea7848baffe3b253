package com.securecom.protocol.vectors;

import static com.securecom.protocol.vectors.VectorFiles.hex;

import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.devices.LinkCodeException;
import com.securecom.protocol.devices.ProvisioningCipher;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes {@code vectors/link.json}: link codes (bytes, text and QR forms, mailbox id), texts every
 * reader must read to the same code, texts it must refuse and why, and provisioning messages, one
 * valid and many that every implementation must refuse.
 *
 * <p>Every value is computed here from docs/protocol.md ("Linking a device") with bare primitives
 * (the JDK's SHA-256, HMAC-SHA256 for HKDF and AES-GCM; X25519 for the keys); the generator then
 * runs every case through {@link LinkCode} and {@link ProvisioningCipher} and refuses to write if
 * they disagree anywhere. Private keys are {@code SHA-256("SecureCom test vector key: " || label)}.
 * Run from the repository root: {@code java -cp ...
 * com.securecom.protocol.vectors.LinkVectorsGenerator [dir]}.
 */
public final class LinkVectorsGenerator {
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  static final X25519.KeyPair NEW_DEVICE = DeviceVectorsGenerator.x25519("new device link key");
  static final X25519.KeyPair LINKING = DeviceVectorsGenerator.x25519("linking device one-use key");
  static final byte[] SECRET = Arrays.copyOf(sha256("link secret"), 10);
  static final long EXPIRES_AT = 1_735_733_400L; // 2025-01-01T12:10:00Z
  static final String PLAINTEXT =
      "{\"type\":\"provision\",\"version\":1,\"note\":\"the provisioning JSON; see docs/protocol.md\"}";

  private LinkVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("link.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  public static JsonObject build() throws Exception {
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom linking: code [50] = 0x01 || E_pub [32] || s [10] || u32(expiresAt) ||"
                + " SHA-256(\"SecureCom link code v1\" || code[0..47))[0..3); text = Crockford base32"
                + " (alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ) in 16 groups of 5 joined by '-'; qrText ="
                + " \"SECURECOM:\" || the 80 characters; mailboxId = SHA-256(\"SecureCom link mailbox v1\" ||"
                + " s)[0..16). Provisioning message = header || AES-256-GCM(key, nonce, pad1024(plaintext),"
                + " AD), header = 0x01 || P_pub [32] || u32(linkingDeviceId) || u32(newDeviceId) ||"
                + " u8(len(username)) || username, key || nonce = HKDF-SHA256(X25519(P, E), salt = s, info ="
                + " \"SecureCom link v1 message\", 44), AD = \"SecureCom link v1\" || header || E_pub ||"
                + " mailboxId. Byte strings are lowercase hex; private keys are SHA-256(\"SecureCom test"
                + " vector key: \" || label). See docs/protocol.md, 'Linking a device'.")
        .add("generator", LinkVectorsGenerator.class.getName())
        .add("codes", codes())
        .add("provisioning", provisioning())
        .build();
  }

  // --- bare primitives -------------------------------------------------------------------------

  static byte[] sha256(String label) {
    return sha256(("SecureCom test vector key: " + label).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        sha.update(part);
      }
      return sha.digest();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /** RFC 5869 with SHA-256, for up to 64 bytes. */
  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) throws Exception {
    byte[] prk = hmac(salt, ikm);
    byte[] t1 = hmac(prk, info, new byte[] {1});
    byte[] t2 = hmac(prk, t1, info, new byte[] {2});
    return Arrays.copyOf(concat(t1, t2), length);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  static byte[] codeBytes(int version, byte[] key, byte[] secret, long expiresAt) {
    byte[] first =
        ByteBuffer.allocate(47)
            .put((byte) version)
            .put(key)
            .put(secret)
            .putInt((int) expiresAt)
            .array();
    byte[] checksum = Arrays.copyOf(sha256(ascii("SecureCom link code v1"), first), 3);
    return concat(first, checksum);
  }

  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int bit = 0; bit < bytes.length * 8; bit += 5) {
      int value = 0;
      for (int i = 0; i < 5; i++) {
        int b = bit + i;
        value = (value << 1) | ((bytes[b / 8] >> (7 - b % 8)) & 1);
      }
      out.append(ALPHABET.charAt(value));
    }
    return out.toString();
  }

  static String grouped(String plain) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < plain.length(); i += 5) {
      out.append(i == 0 ? "" : "-").append(plain, i, i + 5);
    }
    return out.toString();
  }

  static byte[] mailboxId(byte[] secret) {
    return Arrays.copyOf(sha256(ascii("SecureCom link mailbox v1"), secret), 16);
  }

  static byte[] header(byte[] linkingPublic, int linkingDevice, int newDevice, byte[] username) {
    return ByteBuffer.allocate(42 + username.length)
        .put((byte) 1)
        .put(linkingPublic)
        .putInt(linkingDevice)
        .putInt(newDevice)
        .put((byte) username.length)
        .put(username)
        .array();
  }

  static byte[] pad1024(byte[] content) {
    byte[] out = Arrays.copyOf(content, (content.length / 1024 + 1) * 1024);
    out[content.length] = (byte) 0x80;
    return out;
  }

  /** header || AES-GCM(...) of {@code padded}, for a code with key {@code ePub} and secret. */
  static byte[] seal(
      byte[] header, byte[] linkingPrivate, byte[] ePub, byte[] secret, byte[] padded)
      throws Exception {
    byte[] okm =
        hkdf(X25519.agree(linkingPrivate, ePub), secret, ascii("SecureCom link v1 message"), 44);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(Arrays.copyOf(okm, 32), "AES"),
        new GCMParameterSpec(128, Arrays.copyOfRange(okm, 32, 44)));
    gcm.updateAAD(concat(ascii("SecureCom link v1"), header, ePub, mailboxId(secret)));
    return concat(header, gcm.doFinal(padded));
  }

  // --- codes -----------------------------------------------------------------------------------

  private static JsonObjectBuilder codes() throws Exception {
    byte[] code = codeBytes(1, NEW_DEVICE.publicKey(), SECRET, EXPIRES_AT);
    String plain = base32(code);
    JsonArrayBuilder valid = Json.createArrayBuilder();
    valid.add(validCode("code", NEW_DEVICE, SECRET, EXPIRES_AT));
    X25519.KeyPair other = DeviceVectorsGenerator.x25519("another new device link key");
    valid.add(
        validCode(
            "codeLatestExpiry",
            other,
            Arrays.copyOf(sha256("another link secret"), 10),
            0xFFFF_FFFFL));

    String[][] readable = {
      {"lowerCase", grouped(plain).toLowerCase(Locale.ROOT)},
      {"noSeparators", plain},
      {"spacesAndNewline", " " + plain.substring(0, 40) + "\n" + plain.substring(40) + " "},
      {"qrForm", "SECURECOM:" + plain},
      {"qrFormLowerCase", ("securecom:" + plain).toLowerCase(Locale.ROOT)},
      {"lettersReadAsDigits", grouped(plain).replace('0', 'O').replace('1', 'L')},
      {"iReadAsOne", plain.replace('1', 'i')},
    };
    JsonArrayBuilder readableJson = Json.createArrayBuilder();
    for (String[] r : readable) {
      LinkCode read = LinkCode.read(r[1]);
      if (!Arrays.equals(read.toBytes(), code)) {
        throw new IllegalStateException(r[0] + " read to another code");
      }
      readableJson.add(
          Json.createObjectBuilder().add("name", r[0]).add("text", r[1]).add("bytes", hex(code)));
    }

    char typo =
        plain.charAt(10) == 'Z' ? 'Y' : ALPHABET.charAt(ALPHABET.indexOf(plain.charAt(10)) + 1);
    byte[] smallOrder = new byte[32]; // 0: of order 1
    byte[] p = new byte[32]; // 2^255 - 19, not canonical
    Arrays.fill(p, (byte) 0xFF);
    p[0] = (byte) 0xED;
    p[31] = 0x7F;
    byte[] topBit = NEW_DEVICE.publicKey().clone(); // the key pair hands out its own array
    topBit[31] |= (byte) 0x80;
    String[][] refused = {
      {"tooShort", plain.substring(1), "unreadable"},
      {"tooLong", plain + "0", "unreadable"},
      {"letterU", "U" + plain.substring(1), "unreadable"},
      {"punctuation", plain.substring(0, 79) + "*", "unreadable"},
      {"empty", "", "unreadable"},
      {"oneCharacterMistyped", plain.substring(0, 10) + typo + plain.substring(11), "checksum"},
      {"twoCharactersSwapped", swapped(plain), "checksum"},
      {
        "version2",
        grouped(base32(codeBytes(2, NEW_DEVICE.publicKey(), SECRET, EXPIRES_AT))),
        "version"
      },
      {"smallOrderKey", grouped(base32(codeBytes(1, smallOrder, SECRET, EXPIRES_AT))), "key"},
      {"keyEqualToP", grouped(base32(codeBytes(1, p, SECRET, EXPIRES_AT))), "key"},
      {"keyWithTopBit", grouped(base32(codeBytes(1, topBit, SECRET, EXPIRES_AT))), "key"},
    };
    JsonArrayBuilder refusedJson = Json.createArrayBuilder();
    for (String[] r : refused) {
      String reason;
      try {
        LinkCode.read(r[1]);
        throw new IllegalStateException(r[0] + " was read");
      } catch (LinkCodeException e) {
        reason = e.reason().name().toLowerCase(Locale.ROOT);
      }
      if (!reason.equals(r[2])) {
        throw new IllegalStateException(r[0] + ": " + reason + ", not " + r[2]);
      }
      refusedJson.add(
          Json.createObjectBuilder().add("name", r[0]).add("text", r[1]).add("reason", r[2]));
    }
    return Json.createObjectBuilder()
        .add("valid", valid)
        .add("readable", readableJson)
        .add("refused", refusedJson);
  }

  private static String swapped(String plain) {
    for (int i = 0; i < plain.length() - 1; i++) {
      if (plain.charAt(i) != plain.charAt(i + 1)) {
        return plain.substring(0, i)
            + plain.charAt(i + 1)
            + plain.charAt(i)
            + plain.substring(i + 2);
      }
    }
    throw new IllegalStateException("no two different neighbours");
  }

  private static JsonObjectBuilder validCode(
      String name, X25519.KeyPair key, byte[] secret, long expiresAt) throws Exception {
    byte[] code = codeBytes(1, key.publicKey(), secret, expiresAt);
    String plain = base32(code);
    LinkCode implemented = new LinkCode(key.publicKey(), secret, expiresAt);
    if (!Arrays.equals(implemented.toBytes(), code)
        || !implemented.text().equals(grouped(plain))
        || !implemented.qrText().equals("SECURECOM:" + plain)
        || !Arrays.equals(implemented.mailboxId(), mailboxId(secret))
        || !Arrays.equals(LinkCode.read(grouped(plain)).toBytes(), code)) {
      throw new IllegalStateException(name + ": the implementation disagrees");
    }
    return Json.createObjectBuilder()
        .add("name", name)
        .add("ephemeralPrivateKey", hex(key.privateKey()))
        .add("ephemeralKey", hex(key.publicKey()))
        .add("secret", hex(secret))
        .add("expiresAt", expiresAt)
        .add("bytes", hex(code))
        .add("text", grouped(plain))
        .add("qrText", "SECURECOM:" + plain)
        .add("mailboxId", hex(mailboxId(secret)));
  }

  // --- provisioning ----------------------------------------------------------------------------

  private static JsonObjectBuilder provisioning() throws Exception {
    LinkCode code = new LinkCode(NEW_DEVICE.publicKey(), SECRET, EXPIRES_AT);
    byte[] plaintext = ascii(PLAINTEXT);
    byte[] header = header(LINKING.publicKey(), 1, 2, ascii("alice"));
    byte[] message =
        seal(header, LINKING.privateKey(), NEW_DEVICE.publicKey(), SECRET, pad1024(plaintext));
    byte[] okm =
        hkdf(
            X25519.agree(LINKING.privateKey(), NEW_DEVICE.publicKey()),
            SECRET,
            ascii("SecureCom link v1 message"),
            44);
    byte[] sealed = ProvisioningCipher.seal(code, LINKING.privateKey(), 1, 2, "alice", plaintext);
    ProvisioningCipher.Opened opened =
        ProvisioningCipher.open(code, NEW_DEVICE.privateKey(), message);
    if (!Arrays.equals(sealed, message)
        || !Arrays.equals(opened.plaintext(), plaintext)
        || opened.header().linkingDeviceId() != 1
        || opened.header().newDeviceId() != 2
        || !opened.header().username().equals("alice")) {
      throw new IllegalStateException("provisioning: the implementation disagrees");
    }
    JsonObjectBuilder valid =
        Json.createObjectBuilder()
            .add("linkingPrivateKey", hex(LINKING.privateKey()))
            .add("linkingKey", hex(LINKING.publicKey()))
            .add("linkingDeviceId", 1)
            .add("newDeviceId", 2)
            .add("username", "alice")
            .add("plaintext", PLAINTEXT)
            .add("key", hex(Arrays.copyOf(okm, 32)))
            .add("nonce", hex(Arrays.copyOfRange(okm, 32, 44)))
            .add("header", hex(header))
            .add("message", hex(message));

    X25519.KeyPair stranger = DeviceVectorsGenerator.x25519("a stranger's link key");
    byte[] tag = message.clone();
    tag[tag.length - 1] ^= 1;
    byte[] body = message.clone();
    body[header.length] ^= 1;
    byte[] wrongVersion = message.clone();
    wrongVersion[0] = 2;
    byte[] otherDevice = message.clone();
    otherDevice[36] ^= 1; // the last byte of linkingDeviceId
    byte[] otherNew = message.clone();
    otherNew[40] ^= 3; // newDeviceId 2 -> 1
    byte[] otherName = message.clone();
    otherName[42] = 'b';
    byte[] longName = message.clone();
    longName[41] = (byte) 200;
    byte[] zeroKey =
        concat(
            header(new byte[32], 1, 2, ascii("alice")),
            Arrays.copyOfRange(message, header.length, message.length));
    Object[][] refused = {
      {"tagFlipped", tag},
      {"ciphertextFlipped", body},
      {"version2", wrongVersion},
      {"linkingDeviceIdChanged", otherDevice},
      {"newDeviceIdChanged", otherNew},
      {"usernameChanged", otherName},
      {"usernameLengthBeyondTheMessage", longName},
      {"truncatedToTheHeader", Arrays.copyOf(message, header.length)},
      {"empty", new byte[0]},
      {"linkingKeyOfSmallOrder", zeroKey},
      {
        "sealedForAnotherSecret",
        seal(
            header,
            LINKING.privateKey(),
            NEW_DEVICE.publicKey(),
            Arrays.copyOf(sha256("another secret"), 10),
            pad1024(plaintext))
      },
      {
        "sealedForAnotherKey",
        seal(header, LINKING.privateKey(), stranger.publicKey(), SECRET, pad1024(plaintext))
      },
      {
        "unpadded",
        seal(
            header,
            LINKING.privateKey(),
            NEW_DEVICE.publicKey(),
            SECRET,
            Arrays.copyOf(plaintext, 1024))
      },
      {
        "paddedTo256",
        seal(
            header,
            LINKING.privateKey(),
            NEW_DEVICE.publicKey(),
            SECRET,
            Arrays.copyOf(pad1024(plaintext), 256))
      },
      {
        "usernameNotAUsername",
        seal(
            header(LINKING.publicKey(), 1, 2, ascii("Alice")),
            LINKING.privateKey(),
            NEW_DEVICE.publicKey(),
            SECRET,
            pad1024(plaintext))
      },
      {
        "deviceIdZero",
        seal(
            header(LINKING.publicKey(), 0, 2, ascii("alice")),
            LINKING.privateKey(),
            NEW_DEVICE.publicKey(),
            SECRET,
            pad1024(plaintext))
      },
    };
    JsonArrayBuilder refusedJson = Json.createArrayBuilder();
    for (Object[] r : refused) {
      try {
        ProvisioningCipher.open(code, NEW_DEVICE.privateKey(), (byte[]) r[1]);
        throw new IllegalStateException(r[0] + " was opened");
      } catch (com.securecom.protocol.crypto.DecryptionFailedException expected) {
        // every implementation refuses it
      }
      refusedJson.add(
          Json.createObjectBuilder().add("name", (String) r[0]).add("message", hex((byte[]) r[1])));
    }
    return Json.createObjectBuilder()
        .add("code", "the first of codes.valid")
        .add("valid", valid)
        .add("refused", refusedJson);
  }
}
