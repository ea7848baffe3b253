package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonObject;

/** Reads the registry's JSON (docs/protocol.md, REST API) into the end-to-end types. Nothing is trusted here. */
final class Bundles {
  private Bundles() {}

  static PeerIdentity identity(String username, JsonObject json) {
    JsonObject dh = json.getJsonObject("identityDhKey");
    return new PeerIdentity(username, Bytes.fromBase64(json.getString("identityKey")),
        Bytes.fromBase64(dh.getString("publicKey")), Bytes.fromBase64(dh.getString("signature")));
  }

  static PreKeyBundle parse(String username, JsonObject json) {
    PeerIdentity identity = identity(username, json);
    JsonObject spk = json.getJsonObject("signedPreKey");
    JsonObject otpk = json.containsKey("oneTimePreKey") ? json.getJsonObject("oneTimePreKey") : null;
    return new PreKeyBundle(username, identity.identityKey(), identity.identityDhKey(),
        identity.identityDhSignature(),
        new PreKeyBundle.SignedPreKey(spk.getJsonNumber("keyId").longValue(),
            Bytes.fromBase64(spk.getString("publicKey")), Bytes.fromBase64(spk.getString("signature"))),
        otpk == null ? null : new PreKeyBundle.OneTimePreKey(otpk.getJsonNumber("keyId").longValue(),
            Bytes.fromBase64(otpk.getString("publicKey"))));
  }
}
