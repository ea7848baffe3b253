package com.securecom.protocol.crypto;

import java.util.HexFormat;

/**
 * The human-comparable fingerprint of a public key: SHA-256 of its raw bytes as lowercase hex in 16
 * groups of four characters separated by single spaces. The server logs its own at start-up;
 * clients show it when they pin it.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(byte[] publicKey) {
    String hex = HexFormat.of().formatHex(Bytes.sha256(publicKey));
    StringBuilder out = new StringBuilder(79);
    for (int i = 0; i < hex.length(); i += 4) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(hex, i, i + 4);
    }
    return out.toString();
  }
}
