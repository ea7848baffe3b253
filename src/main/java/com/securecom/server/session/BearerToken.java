package com.securecom.server.session;

import com.securecom.protocol.crypto.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A bearer token: 32 random bytes (256 bits) as unpadded base64url, 43 characters. Only its SHA-256
 * hash is stored; looking a token up by hash reveals nothing useful to a timing observer, since the
 * hash of a guess is unrelated to the hash of the real token.
 */
public final class BearerToken {
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

  private BearerToken() {}

  public static String generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static boolean isWellFormed(String token) {
    return token != null && FORMAT.matcher(token).matches();
  }

  public static byte[] hash(String token) {
    return Bytes.sha256(token.getBytes(StandardCharsets.US_ASCII));
  }
}
