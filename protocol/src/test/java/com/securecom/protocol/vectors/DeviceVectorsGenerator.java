package com.securecom.protocol.vectors;

import static com.securecom.protocol.vectors.VectorFiles.hex;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceListRefusedException;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.devices.SignedPreKeys;
import com.securecom.protocol.devices.Succession;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@code vectors/devices.json}: signed device lists, lists every verifier must refuse, pairs
 * of (pinned, served) lists with a client's verdict and the server's successor rule, and signed
 * prekey signatures of version 3 (and 2) with whether they vouch for the device they are presented
 * for.
 *
 * <p>Every body is written field by field from docs/protocol.md ("Device lists") with {@link
 * DeviceListBytes} and signed with the bare Ed25519 primitive; each expected outcome is written
 * here from the document's rules. The generator then runs every case through the implementation
 * ({@link DeviceList}, {@link SignedDeviceList}, {@link DeviceTrust}, {@link Succession}, {@link
 * SignedPreKeys}) and refuses to write if it disagrees anywhere.
 *
 * <p>The private keys are {@code SHA-256("SecureCom test vector key: " || label)}, as in the peer
 * protocol's vectors (so Alice's identity key is that of {@code x3dh.json}). Run from the
 * repository root: {@code java -cp ... com.securecom.protocol.vectors.DeviceVectorsGenerator
 * [dir]}.
 */
public final class DeviceVectorsGenerator {
  static final String ALICE = "alice";
  static final Ed25519.KeyPair ALICE_IDENTITY = ed25519("alice identity key");
  static final Ed25519.KeyPair MALLORY_IDENTITY = ed25519("mallory identity key");
  static final X25519.KeyPair ALICE_SIGNED_PREKEY = x25519("alice device signed prekey");
  static final long SIGNED_PREKEY_ID = 7;
  static final long T0 = 1_700_000_000L; // 2023-11-14T22:13:20Z: device 1 registered
  static final long T1 = 1_735_732_800L; // 2025-01-01T12:00:00Z
  static final long MAX = (1L << 53) - 1;

  private DeviceVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("devices.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  static Ed25519.KeyPair ed25519(String label) {
    byte[] priv = Bytes.sha256(Bytes.ascii("SecureCom test vector key: " + label));
    return new Ed25519.KeyPair(priv, Ed25519.publicKey(priv));
  }

  static X25519.KeyPair x25519(String label) {
    byte[] priv = Bytes.sha256(Bytes.ascii("SecureCom test vector key: " + label));
    return new X25519.KeyPair(priv, X25519.publicKey(priv));
  }

  /** Alice's list with the given serial, issuedAt, lastDeviceId and (id, createdAt) pairs. */
  static DeviceListBytes alice(long serial, long issuedAt, long lastDeviceId, long... idsAndTimes) {
    DeviceListBytes b =
        new DeviceListBytes()
            .username(ALICE)
            .identityKey(ALICE_IDENTITY.publicKey())
            .serial(serial)
            .issuedAt(issuedAt)
            .lastDeviceId(lastDeviceId);
    for (int i = 0; i < idsAndTimes.length; i += 2) {
      b.entry(idsAndTimes[i], idsAndTimes[i + 1]);
    }
    return b;
  }

  /** A body and the signature over it, made with the bare primitive. */
  record Signed(byte[] body, byte[] signature) {
    static Signed by(Ed25519.KeyPair key, byte[] body) {
      return new Signed(body, Ed25519.sign(key.privateKey(), body));
    }

    SignedDeviceList toCode() {
      return new SignedDeviceList(body, signature);
    }
  }

  // The valid lists, named. Device 1 registered at T0; device 2 linked at T1, removed later; device
  // 3
  // linked after that.
  static final DeviceListBytes FIRST = alice(1, T0, 1, 1, T0);
  static final DeviceListBytes TWO = alice(2, T1, 2, 1, T0, 2, T1);
  static final DeviceListBytes REMOVED_2 = alice(3, T1 + 3600, 2, 1, T0);
  static final DeviceListBytes LINKED_3 = alice(4, T1 + 7200, 3, 1, T0, 3, T1 + 7200);

  static DeviceListBytes sixteen() {
    DeviceListBytes b = alice(40, T1 + 86_400, 20);
    for (long id = 5; id <= 20; id++) {
      b.entry(id, T1 + id * 60);
    }
    return b;
  }

  static DeviceListBytes extremes() {
    return new DeviceListBytes()
        .username("a".repeat(32))
        .identityKey(ALICE_IDENTITY.publicKey())
        .serial(MAX)
        .issuedAt(MAX)
        .lastDeviceId(999_999_999)
        .entry(1, 0)
        .entry(999_999_999, MAX);
  }

  public static JsonObject build() throws Exception {
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom device lists (not yet served): body = \"SecureCom device list v1\" || u8(len(username))"
                + " || username || IKsig [32] || u64(serial) || u64(issuedAt) || u32(lastDeviceId) || u8(count)"
                + " || count x (u32(deviceId) || u64(createdAt)); signature = Ed25519(IKsig, body). Byte strings"
                + " are lowercase hex. Private keys are SHA-256(\"SecureCom test vector key: \" || label). See"
                + " docs/protocol.md, 'Device lists'.")
        .add("generator", DeviceVectorsGenerator.class.getName())
        .add("label", DeviceListBytes.LABEL)
        .add("signedPreKeyLabel", "SecureCom signed prekey v3")
        .add("alice", identity(ALICE, ALICE_IDENTITY, "alice identity key"))
        .add("mallory", identity("mallory", MALLORY_IDENTITY, "mallory identity key"))
        .add("lists", lists())
        .add("refused", refused())
        .add("successors", successors())
        .add("signedPreKeys", signedPreKeys())
        .build();
  }

  private static JsonObjectBuilder identity(String username, Ed25519.KeyPair key, String label) {
    return Json.createObjectBuilder()
        .add("username", username)
        .add(
            "identityKey",
            Json.createObjectBuilder()
                .add("label", label)
                .add("privateKey", hex(key.privateKey()))
                .add("publicKey", hex(key.publicKey())));
  }

  // ---- lists[] -----------------------------------------------------------------------------

  private static JsonArrayBuilder lists() throws Exception {
    Map<String, DeviceListBytes> valid = new LinkedHashMap<>();
    valid.put("firstListOfALegacyAccount", FIRST);
    valid.put("twoDevices", TWO);
    valid.put("device2Removed", REMOVED_2);
    valid.put("device3Linked", LINKED_3);
    valid.put("sixteenDevices", sixteen());
    valid.put("largestValues", extremes());
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (Map.Entry<String, DeviceListBytes> c : valid.entrySet()) {
      DeviceListBytes b = c.getValue();
      String username = c.getKey().equals("largestValues") ? "a".repeat(32) : ALICE;
      Signed signed = Signed.by(ALICE_IDENTITY, b.build());
      // Through the implementation: the same bytes from the fields, and the fields back.
      List<DeviceEntry> entries = new ArrayList<>();
      JsonArrayBuilder entriesJson = Json.createArrayBuilder();
      for (long[] e : b.entries()) {
        entries.add(new DeviceEntry((int) e[0], e[1]));
        entriesJson.add(Json.createObjectBuilder().add("deviceId", e[0]).add("createdAt", e[1]));
      }
      DeviceList list = DeviceList.parse(signed.body());
      DeviceList made =
          DeviceList.of(
              username,
              ALICE_IDENTITY.publicKey(),
              list.serial(),
              list.issuedAt(),
              list.lastDeviceId(),
              entries);
      same(c.getKey() + " body", signed.body(), made.encode());
      same(
          c.getKey() + " signature",
          signed.signature(),
          SignedDeviceList.sign(made, ALICE_IDENTITY.privateKey()).signature());
      if (!signed.toCode().verify(username, ALICE_IDENTITY.publicKey()).equals(made)) {
        throw new IllegalStateException(c.getKey() + " does not verify");
      }
      if (list.entries().size() != entries.size() || !list.entries().equals(entries)) {
        throw new IllegalStateException(c.getKey() + " parses to other entries");
      }
      out.add(
          Json.createObjectBuilder()
              .add("name", c.getKey())
              .add("username", username)
              .add("identityKey", hex(ALICE_IDENTITY.publicKey()))
              .add("serial", list.serial())
              .add("issuedAt", list.issuedAt())
              .add("lastDeviceId", list.lastDeviceId())
              .add("entries", entriesJson)
              .add("body", hex(signed.body()))
              .add("signature", hex(signed.signature())));
    }
    return out;
  }

  // ---- refused[] ---------------------------------------------------------------------------

  private record Refused(String name, String reason, Signed signed) {}

  private static Refused malformed(String name, byte[] body) {
    return new Refused(name, "malformed", Signed.by(ALICE_IDENTITY, body));
  }

  static List<Refused> refusedCases() {
    Signed two = Signed.by(ALICE_IDENTITY, TWO.build());
    byte[] lastEntryOmitted = TWO.copy().clearEntries().entry(1, T0).count(2).build();
    List<Refused> cases = new ArrayList<>();
    // The signature does not verify under Alice's identity key.
    cases.add(
        new Refused(
            "bodyBitFlipped",
            "badSignature",
            new Signed(Bits.flip(two.body(), 8 * 80), two.signature())));
    cases.add(
        new Refused(
            "signatureBitFlipped",
            "badSignature",
            new Signed(two.body(), Bits.flip(two.signature(), 3))));
    cases.add(
        new Refused("signedByAnotherKey", "badSignature", Signed.by(MALLORY_IDENTITY, two.body())));
    cases.add(
        new Refused(
            "anotherKeysListForAlice",
            "badSignature",
            Signed.by(
                MALLORY_IDENTITY, TWO.copy().identityKey(MALLORY_IDENTITY.publicKey()).build())));
    cases.add(
        new Refused(
            "deviceAddedKeepingTheSignature",
            "badSignature",
            new Signed(TWO.copy().lastDeviceId(9).entry(9, T1).build(), two.signature())));
    cases.add(
        new Refused(
            "signatureTruncated",
            "badSignature",
            new Signed(two.body(), Arrays.copyOf(two.signature(), 63))));
    cases.add(new Refused("signatureEmpty", "badSignature", new Signed(two.body(), new byte[0])));
    // Signed by Alice, but not a well-formed list.
    cases.add(malformed("wrongLabel", TWO.copy().label("SecureCom device list v2").build()));
    cases.add(malformed("labelInLowerCase", TWO.copy().label("securecom device list v1").build()));
    cases.add(malformed("emptyBody", new byte[0]));
    cases.add(malformed("labelOnly", Bytes.ascii(DeviceListBytes.LABEL)));
    cases.add(malformed("truncatedInTheHeader", TWO.buildTruncated(24 + 1 + 5 + 32 + 4)));
    cases.add(malformed("truncatedInAnEntry", TWO.buildTruncated(TWO.build().length - 1)));
    cases.add(malformed("trailingByte", TWO.copy().trailing(new byte[] {0}).build()));
    cases.add(malformed("countAboveTheEntries", lastEntryOmitted));
    cases.add(malformed("countBelowTheEntries", TWO.copy().count(1).build()));
    cases.add(malformed("countZero", TWO.copy().clearEntries().build()));
    DeviceListBytes seventeen = alice(41, T1, 17);
    for (long id = 1; id <= 17; id++) {
      seventeen.entry(id, T1);
    }
    cases.add(malformed("seventeenEntries", seventeen.build()));
    cases.add(malformed("usernameTwoCharacters", TWO.copy().username("al").build()));
    cases.add(malformed("username33Characters", TWO.copy().username("a".repeat(33)).build()));
    cases.add(malformed("usernameUpperCase", TWO.copy().username("Alice").build()));
    cases.add(malformed("usernameNotAscii", TWO.copy().username("alic\u00e9").build()));
    cases.add(malformed("usernameLengthZero", TWO.copy().usernameLength(0).build()));
    cases.add(malformed("usernameLengthPastTheName", TWO.copy().usernameLength(6).build()));
    cases.add(malformed("serialZero", TWO.copy().serial(0).build()));
    cases.add(malformed("serialAbove2pow53minus1", TWO.copy().serial(MAX + 1).build()));
    cases.add(malformed("serialTopBitSet", TWO.copy().serial(Long.MIN_VALUE | 2).build()));
    cases.add(malformed("issuedAtAbove2pow53minus1", TWO.copy().issuedAt(MAX + 1).build()));
    cases.add(malformed("lastDeviceIdZero", alice(2, T1, 0, 1, T0).build()));
    cases.add(malformed("lastDeviceIdAbove999999999", alice(2, T1, 1_000_000_000L, 1, T0).build()));
    cases.add(malformed("lastDeviceIdTopBitSet", alice(2, T1, 0x8000_0002L, 1, T0).build()));
    cases.add(malformed("deviceIdZero", alice(2, T1, 2, 0, T0, 2, T1).build()));
    cases.add(malformed("deviceIdAboveLastDeviceId", alice(2, T1, 2, 1, T0, 3, T1).build()));
    cases.add(malformed("deviceIdTopBitSet", alice(2, T1, 2, 1, T0, 0x8000_0002L, T1).build()));
    cases.add(malformed("duplicateDeviceId", alice(2, T1, 2, 2, T0, 2, T1).build()));
    cases.add(malformed("entriesOutOfOrder", alice(2, T1, 2, 2, T1, 1, T0).build()));
    cases.add(malformed("createdAtAbove2pow53minus1", alice(2, T1, 2, 1, T0, 2, MAX + 1).build()));
    // Signed by Alice and well-formed, but for another account or key.
    cases.add(
        new Refused(
            "anotherUsername",
            "wrongUsername",
            Signed.by(ALICE_IDENTITY, TWO.copy().username("alicf").build())));
    cases.add(
        new Refused(
            "namesAnotherIdentityKey",
            "wrongIdentity",
            Signed.by(
                ALICE_IDENTITY, TWO.copy().identityKey(MALLORY_IDENTITY.publicKey()).build())));
    return cases;
  }

  private static JsonArrayBuilder refused() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (Refused c : refusedCases()) {
      try {
        c.signed().toCode().verify(ALICE, ALICE_IDENTITY.publicKey());
        throw new IllegalStateException(c.name() + " was not refused by the implementation");
      } catch (DeviceListRefusedException e) {
        if (!e.reason().code().equals(c.reason())) {
          throw new IllegalStateException(
              c.name() + " refused as " + e.reason().code() + ", documented " + c.reason(), e);
        }
      }
      out.add(
          Json.createObjectBuilder()
              .add("name", c.name())
              .add("username", ALICE)
              .add("identityKey", hex(ALICE_IDENTITY.publicKey()))
              .add("body", hex(c.signed().body()))
              .add("signature", hex(c.signed().signature()))
              .add("reason", c.reason()));
    }
    return out;
  }

  // ---- successors[] ------------------------------------------------------------------------

  /**
   * One (pinned, served) pair. {@code pinned} null: no list pinned (legacy); {@code served} null:
   * the server serves no list. {@code verdict} "accepted", "unchanged" or a refusal's code; {@code
   * change} the server's kind of successor, or null if the server would not store {@code served}.
   */
  private record Pair(
      String name,
      DeviceListBytes pinned,
      Signed served,
      String verdict,
      List<Integer> added,
      List<Integer> removed,
      String change) {}

  private static Signed alices(DeviceListBytes b) {
    return Signed.by(ALICE_IDENTITY, b.build());
  }

  private static Pair accepted(
      String name,
      DeviceListBytes pinned,
      DeviceListBytes served,
      List<Integer> added,
      List<Integer> removed,
      String change) {
    return new Pair(name, pinned, alices(served), "accepted", added, removed, change);
  }

  private static Pair refusedPair(String name, DeviceListBytes pinned, Signed served, String why) {
    return new Pair(name, pinned, served, why, null, null, null);
  }

  static List<Pair> pairs() {
    List<Integer> none = List.of();
    DeviceListBytes firstLinked = alice(1, T1, 2, 1, T0, 2, T1);
    DeviceListBytes resigned = alice(4, T1 + 86_400, 2, 1, T0);
    DeviceListBytes linkAndRemove = alice(3, T1 + 3600, 3, 1, T0, 3, T1 + 3600);
    DeviceListBytes lastRaised = alice(2, T1, 5, 1, T0);
    List<Pair> pairs = new ArrayList<>();
    pairs.add(new Pair("legacyStillWithoutList", null, null, "unchanged", null, null, null));
    pairs.add(accepted("legacyPublishesAFirstList", null, FIRST, none, none, "resign"));
    pairs.add(accepted("legacyLinksDevice2", null, firstLinked, List.of(2), none, "link"));
    pairs.add(
        accepted(
            "legacyFirstListWithAnotherCreatedAt",
            null,
            alice(1, T1, 1, 1, T1),
            none,
            none,
            "resign"));
    pairs.add(accepted("legacyToSerial2", null, TWO, List.of(2), none, null));
    pairs.add(accepted("link", FIRST, TWO, List.of(2), none, "link"));
    pairs.add(accepted("removal", TWO, REMOVED_2, none, List.of(2), "removal"));
    pairs.add(accepted("resign", REMOVED_2, resigned, none, none, "resign"));
    pairs.add(accepted("linkAfterARemoval", REMOVED_2, LINKED_3, List.of(3), none, "link"));
    pairs.add(accepted("missedOneList", FIRST, REMOVED_2, none, none, null));
    pairs.add(accepted("missedTwoLists", TWO, LINKED_3, List.of(3), List.of(2), null));
    pairs.add(accepted("linkAndRemovalInOne", TWO, linkAndRemove, List.of(3), List.of(2), "other"));
    pairs.add(accepted("lastDeviceIdRaisedWithoutAnEntry", FIRST, lastRaised, none, none, "other"));
    pairs.add(new Pair("sameList", TWO, alices(TWO), "unchanged", null, null, null));
    pairs.add(refusedPair("noListAfterAPin", TWO, null, "rollback"));
    pairs.add(refusedPair("olderSerial", REMOVED_2, alices(TWO), "rollback"));
    pairs.add(refusedPair("backToTheFirstList", TWO, alices(FIRST), "rollback"));
    pairs.add(refusedPair("forkOtherIssuedAt", TWO, alices(TWO.copy().issuedAt(T1 + 1)), "fork"));
    pairs.add(refusedPair("forkOtherDevice", TWO, alices(alice(2, T1, 3, 1, T0, 3, T1)), "fork"));
    pairs.add(
        refusedPair(
            "removedIdBack", REMOVED_2, alices(alice(4, T1, 2, 1, T0, 2, T1)), "notDescendant"));
    pairs.add(
        refusedPair(
            "entryChangedCreatedAt",
            TWO,
            alices(alice(3, T1, 2, 1, T0 + 1, 2, T1)),
            "notDescendant"));
    pairs.add(
        refusedPair(
            "lastDeviceIdLowered", LINKED_3, alices(alice(5, T1, 2, 1, T0)), "notDescendant"));
    pairs.add(
        refusedPair(
            "oldIdThePinLacks",
            LINKED_3,
            alices(alice(5, T1, 3, 1, T0, 2, T1, 3, T1 + 7200)),
            "notDescendant"));
    pairs.add(
        refusedPair(
            "serverAddsADeviceSignedByAnotherKey",
            TWO,
            Signed.by(MALLORY_IDENTITY, alice(3, T1, 9, 1, T0, 2, T1, 9, T1).build()),
            "badSignature"));
    pairs.add(
        refusedPair(
            "serverAddsADeviceKeepingTheSignature",
            TWO,
            new Signed(alice(3, T1, 9, 1, T0, 2, T1, 9, T1).build(), alices(TWO).signature()),
            "badSignature"));
    pairs.add(
        refusedPair(
            "legacyThenAMalformedList",
            null,
            alices(TWO.copy().trailing(new byte[1])),
            "malformed"));
    pairs.add(
        refusedPair(
            "higherSerialForAnotherAccount",
            TWO,
            alices(alice(3, T1, 2, 1, T0).username("alicf")),
            "wrongUsername"));
    return pairs;
  }

  private static JsonArrayBuilder successors() throws Exception {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (Pair p : pairs()) {
      DeviceList pinned = p.pinned() == null ? null : DeviceList.parse(p.pinned().build());
      SignedDeviceList served = p.served() == null ? null : p.served().toCode();
      DeviceTrust.Verdict verdict =
          DeviceTrust.check(ALICE, ALICE_IDENTITY.publicKey(), pinned, served);
      String got = verdictCode(verdict);
      if (!got.equals(p.verdict())) {
        throw new IllegalStateException(p.name() + ": " + got + ", documented " + p.verdict());
      }
      if (verdict instanceof DeviceTrust.Accepted a
          && (!a.added().equals(p.added()) || !a.removed().equals(p.removed()))) {
        throw new IllegalStateException(p.name() + ": other added or removed ids");
      }
      String change = null;
      if (verdict instanceof DeviceTrust.Accepted a && Succession.isSuccessor(pinned, a.list())) {
        change = Succession.change(pinned, a.list()).name().toLowerCase(Locale.ROOT);
      }
      if (!Objects.equals(change, p.change())) {
        throw new IllegalStateException(
            p.name() + ": change " + change + ", documented " + p.change());
      }
      JsonObjectBuilder o =
          Json.createObjectBuilder()
              .add("name", p.name())
              .add(
                  "pinned",
                  p.pinned() == null ? JsonValue.NULL : listJson(alices(p.pinned())).build())
              .add("served", p.served() == null ? JsonValue.NULL : listJson(p.served()).build())
              .add("verdict", p.verdict())
              .add("accept", verdict instanceof DeviceTrust.Accepted);
      if (p.added() != null) {
        o.add("added", Json.createArrayBuilder(p.added()))
            .add("removed", Json.createArrayBuilder(p.removed()));
      }
      o.add("successor", change != null);
      if (change != null) {
        o.add("change", change);
      }
      out.add(o);
    }
    return out;
  }

  // ---- signedPreKeys[] ---------------------------------------------------------------------

  private static JsonObjectBuilder listJson(Signed s) {
    return Json.createObjectBuilder()
        .add("body", hex(s.body()))
        .add("signature", hex(s.signature()));
  }

  /** A signed prekey case: the device it is presented for, the message signed, by whom. */
  private record PreKeyCase(
      String name,
      int deviceId,
      long keyId,
      byte[] message,
      Ed25519.KeyPair signer,
      boolean valid) {}

  /**
   * {@code "SecureCom signed prekey v3" || u32(deviceId) || u64(keyId) || u64(createdAt) || SPK}.
   */
  static byte[] v3(long deviceId, long keyId) {
    return Bytes.concat(
        Bytes.ascii("SecureCom signed prekey v3"),
        u32(deviceId),
        u64(keyId),
        u64(T1),
        ALICE_SIGNED_PREKEY.publicKey());
  }

  /** {@code "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt) || SPK}. */
  static byte[] v2(long keyId) {
    return Bytes.concat(
        Bytes.ascii("SecureCom signed prekey v2"),
        u64(keyId),
        u64(T1),
        ALICE_SIGNED_PREKEY.publicKey());
  }

  static List<PreKeyCase> preKeyCases() {
    long id = SIGNED_PREKEY_ID;
    Ed25519.KeyPair alice = ALICE_IDENTITY;
    byte[] v3WithV2Label =
        Bytes.concat(
            Bytes.ascii("SecureCom signed prekey v2"),
            u32(2),
            u64(id),
            u64(T1),
            ALICE_SIGNED_PREKEY.publicKey());
    return List.of(
        new PreKeyCase("v3ForDevice1", 1, id, v3(1, id), alice, true),
        new PreKeyCase("v3ForDevice2", 2, id, v3(2, id), alice, true),
        new PreKeyCase("v3ForDevice999999999", 999_999_999, id, v3(999_999_999, id), alice, true),
        new PreKeyCase("v2ForDevice1", 1, id, v2(id), alice, true),
        new PreKeyCase("v2ForDevice2", 2, id, v2(id), alice, false),
        new PreKeyCase("v3ForDevice2PresentedForDevice3", 3, id, v3(2, id), alice, false),
        new PreKeyCase("v3ForDevice2PresentedForDevice1", 1, id, v3(2, id), alice, false),
        new PreKeyCase("v3ForDevice1PresentedForDevice2", 2, id, v3(1, id), alice, false),
        new PreKeyCase("v3UnderAnotherKeyId", 2, id + 1, v3(2, id), alice, false),
        new PreKeyCase("v3ByAnotherIdentity", 2, id, v3(2, id), MALLORY_IDENTITY, false),
        new PreKeyCase("v3FieldsWithTheV2Label", 2, id, v3WithV2Label, alice, false),
        new PreKeyCase("v3ForDevice0", 0, id, v3(0, id), alice, false),
        new PreKeyCase(
            "v3ForDevice1000000000", 1_000_000_000, id, v3(1_000_000_000, id), alice, false));
  }

  private static JsonArrayBuilder signedPreKeys() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (PreKeyCase c : preKeyCases()) {
      byte[] signature = Ed25519.sign(c.signer().privateKey(), c.message());
      if (c.valid() && c.message()[25] == '3') {
        same(
            c.name() + " message",
            c.message(),
            KeySignatures.signedPreKeyMessageV3(
                c.deviceId(), c.keyId(), T1, ALICE_SIGNED_PREKEY.publicKey()));
      }
      boolean verifies =
          SignedPreKeys.verifies(
              ALICE_IDENTITY.publicKey(),
              c.deviceId(),
              c.keyId(),
              T1,
              ALICE_SIGNED_PREKEY.publicKey(),
              signature);
      if (verifies != c.valid()) {
        throw new IllegalStateException(c.name() + ": the implementation says " + verifies);
      }
      out.add(
          Json.createObjectBuilder()
              .add("name", c.name())
              .add("deviceId", c.deviceId())
              .add("keyId", c.keyId())
              .add("createdAt", T1)
              .add("publicKey", hex(ALICE_SIGNED_PREKEY.publicKey()))
              .add("signedMessage", hex(c.message()))
              .add("signature", hex(signature))
              .add("valid", c.valid()));
    }
    return out;
  }

  static void same(String what, byte[] documented, byte[] implemented) {
    if (!Arrays.equals(documented, implemented)) {
      throw new IllegalStateException(
          what
              + " differs between the document and the implementation: "
              + hex(documented)
              + " != "
              + hex(implemented));
    }
  }

  /** The vectors' name of a verdict: "accepted", "unchanged" or the refusal's code. */
  public static String verdictCode(DeviceTrust.Verdict verdict) {
    if (verdict instanceof DeviceTrust.Refused r) {
      return r.reason().code();
    }
    return verdict instanceof DeviceTrust.Accepted ? "accepted" : "unchanged";
  }

  static byte[] u32(long value) {
    return ByteBuffer.allocate(4).putInt((int) value).array();
  }

  static byte[] u64(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }
}
