package com.securecom.protocol.crypto;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * X25519 public keys (u-coordinates) of small order, whose shared secret with every private key is
 * all zeros (RFC 7748 section 6.1): the points of order 1, 2, 4 and 8 that libsodium also refuses,
 * the non-canonical encodings p and p + 1 of 0 and 1, and each of them again with the unused top
 * bit set (which X25519 ignores).
 */
public final class LowOrderPoints {
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private LowOrderPoints() {}

  /** Name to 32-byte little-endian encoding, sorted by name. */
  public static Map<String, byte[]> all() {
    Map<String, BigInteger> canonical =
        Map.of(
            "0 (order 4)",
            BigInteger.ZERO,
            "1 (order 1)",
            BigInteger.ONE,
            "order 8, first",
            new BigInteger(
                "325606250916557431795983626356110631294008115727848805560023387167927233504"),
            "order 8, second",
            new BigInteger(
                "39382357235489614581723060781553021112529911719440698176882885853963445705823"),
            "p - 1 (order 2)",
            P.subtract(BigInteger.ONE),
            "p, i.e. 0",
            P,
            "p + 1, i.e. 1",
            P.add(BigInteger.ONE));
    Map<String, byte[]> points = new TreeMap<>();
    canonical.forEach(
        (name, u) -> {
          points.put(name, littleEndian(u));
          byte[] topBit = littleEndian(u);
          topBit[31] |= (byte) 0x80;
          points.put(name + ", top bit set", topBit);
        });
    return points;
  }

  /** {@link #all()} as (name, point) arguments for a parameterized test. */
  public static Stream<Arguments> arguments() {
    return all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static byte[] littleEndian(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }
}
