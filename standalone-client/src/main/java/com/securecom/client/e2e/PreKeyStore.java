package com.securecom.client.e2e;

import com.securecom.protocol.crypto.X25519;
import java.util.Optional;

/**
 * The responder's private prekeys, looked up by the ids a PreKey message names. Implemented by the
 * client's store.
 *
 * <p>Keep a signed prekey for a while after rotating it (messages sent to the old one may still be
 * queued). A one-time prekey is single use: {@link Session#accept} calls {@link
 * #removeOneTimePreKey} once the first message of the new session has authenticated, and never
 * before, so a forged or corrupted message cannot burn one. Persist the new session right after.
 */
public interface PreKeyStore {
  Optional<X25519.KeyPair> signedPreKey(long keyId);

  Optional<X25519.KeyPair> oneTimePreKey(long keyId);

  void removeOneTimePreKey(long keyId);
}
