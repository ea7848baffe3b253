package com.securecom.server.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "identity_key")
class IdentityKeyRecord {
  @Id
  @Column(name = "username")
  String username;

  @Column(name = "public_key", nullable = false)
  byte[] publicKey;

  @Column(name = "dh_public_key", nullable = false)
  byte[] dhPublicKey;

  @Column(name = "dh_signature", nullable = false)
  byte[] dhSignature;

  protected IdentityKeyRecord() {}

  IdentityKeyRecord(String username, IdentityKeys keys) {
    this.username = username;
    this.publicKey = keys.signingKey().clone();
    this.dhPublicKey = keys.dhKey().clone();
    this.dhSignature = keys.dhSignature().clone();
  }

  IdentityKeys toKeys() {
    return new IdentityKeys(publicKey.clone(), dhPublicKey.clone(), dhSignature.clone());
  }
}
