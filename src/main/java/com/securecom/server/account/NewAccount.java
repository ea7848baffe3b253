package com.securecom.server.account;

import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.SignedPreKey;
import java.util.List;

/** A validated registration: the account and the keys it publishes. */
public record NewAccount(
    String username,
    String password,
    IdentityKeys identity,
    SignedPreKey signedPreKey,
    List<OneTimePreKey> oneTimePreKeys) {
  @Override
  public String toString() {
    return "NewAccount[" + username + "]";
  }
}
