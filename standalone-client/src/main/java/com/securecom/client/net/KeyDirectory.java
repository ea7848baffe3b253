package com.securecom.client.net;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * The server's key registry as the messenger uses it. Nothing it answers is trusted: callers check
 * every identity against the signatures and the user's pins. {@link ServerApi} is the real one;
 * tests use a hostile double.
 *
 * <p>Failures: {@link ApiException} with the HTTP status for a refusal, {@link
 * ServerUnreachableException} when no answer came. {@link #isTransient} tells the two kinds a
 * caller must retry later from those that are final.
 */
public interface KeyDirectory {
  /** A user's prekey bundle (consumes one of their one-time prekeys). */
  JsonObject bundle(String token, String username);

  /** A user's published identity (consumes nothing). */
  JsonObject identity(String token, String username);

  /**
   * The bundles of devices {@code devices} of {@code username}, in that order ({@code GET
   * /api/keys/{username}?devices=...}; consumes one one-time prekey of each).
   */
  JsonObject bundles(String token, String username, List<Integer> devices);

  /**
   * A user's signed device list as the server stores it, and the server's device ids ({@code GET
   * /api/devices/{username}}; counts as an identity lookup).
   */
  JsonObject deviceList(String token, String username);

  int oneTimePreKeyCount(String token);

  void uploadOneTimePreKeys(String token, JsonObject upload);

  void rotateSignedPreKey(String token, JsonObject signedPreKey);

  /**
   * True if {@code failure} of a call says nothing about the answer, so the call must be retried
   * later rather than taken as a refusal: no connection, a server error (5xx), rate limiting (429),
   * or a token the server no longer accepts (401: the user must log in again, the peer's keys did
   * not change).
   */
  static boolean isTransient(RuntimeException failure) {
    if (failure instanceof ServerUnreachableException) {
      return true;
    }
    return failure instanceof ApiException api
        && (api.status() >= 500 || api.status() == 429 || api.status() == 401);
  }
}
