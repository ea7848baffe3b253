package com.securecom.client.e2e;

import static com.securecom.client.e2e.Documented.same;
import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * Writes {@code vectors/safety-number.json}: fingerprints and safety numbers of a few pairs of
 * users.
 */
final class SafetyNumberVectorsGenerator {
  private record Pair(String name, String nameA, byte[] keyA, String nameB, byte[] keyB) {}

  private SafetyNumberVectorsGenerator() {}

  static JsonObject build() {
    byte[] rfc8032Test1 = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] rfc8032Test2 = unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    Pair[] pairs = {
      new Pair(
          "vectorAliceAndBob",
          VectorParties.ALICE,
          VectorParties.ALICE_IDENTITY.publicKey(),
          VectorParties.BOB,
          VectorParties.BOB_IDENTITY.publicKey()),
      new Pair("rfc8032PublicKeys", "carol", rfc8032Test1, "dave", rfc8032Test2),
      new Pair("sameKeyDifferentNames", "erin", rfc8032Test1, "frank", rfc8032Test1),
      new Pair(
          "nonAsciiUsernameUtf8",
          "zo\u00eb",
          rfc8032Test2,
          "bob",
          VectorParties.BOB_IDENTITY.publicKey()),
    };
    JsonArrayBuilder cases = Json.createArrayBuilder();
    for (Pair p : pairs) {
      String a = Documented.fingerprint(p.nameA(), p.keyA());
      String b = Documented.fingerprint(p.nameB(), p.keyB());
      String digits = a.compareTo(b) <= 0 ? a + b : b + a;
      SafetyNumber implemented = SafetyNumber.of(p.nameA(), p.keyA(), p.nameB(), p.keyB());
      same(p.name() + " fingerprint A", a, SafetyNumber.fingerprint(p.nameA(), p.keyA()));
      same(p.name() + " fingerprint B", b, SafetyNumber.fingerprint(p.nameB(), p.keyB()));
      same(p.name() + " safety number", digits, implemented.digits());
      same(
          p.name() + " swapped",
          digits,
          SafetyNumber.of(p.nameB(), p.keyB(), p.nameA(), p.keyA()).digits());
      cases.add(
          Json.createObjectBuilder()
              .add("name", p.name())
              .add("usernameA", p.nameA())
              .add("identityKeyA", hex(p.keyA()))
              .add("usernameB", p.nameB())
              .add("identityKeyB", hex(p.keyB()))
              .add("fingerprintA", a)
              .add("fingerprintB", b)
              .add("safetyNumber", digits)
              .add("display", implemented.display()));
    }
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom safety numbers (Signal numeric fingerprint, version 0, raw 32-byte Ed25519"
                + " identity keys): fingerprint = six 5-digit chunks of the first 30 bytes of hash, where hash ="
                + " SHA-512(0x0000 || identityKey || UTF-8 username), then 5199 times hash = SHA-512(hash ||"
                + " identityKey). The safety number is the smaller fingerprint followed by the larger. Keys are hex."
                + " 'zo\u00eb' only shows the UTF-8 encoding; the registry would refuse that username.")
        .add("generator", SafetyNumberVectorsGenerator.class.getName())
        .add("iterations", SafetyNumber.ITERATIONS)
        .add("cases", cases)
        .build();
  }
}
