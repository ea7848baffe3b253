package com.securecom.protocol.devices;

/**
 * Why a served device list is not accepted (docs/protocol.md, "Device lists", the pin table). The
 * first four mean the account's identity key did not vouch for this list for this account; the last
 * three that it did, but the list is not newer than the pinned one. In every case the pin stays.
 */
public enum Refusal {
  /** The signature does not verify under the expected identity key, or is not 64 bytes. */
  BAD_SIGNATURE("badSignature"),
  /** Signed, but the body is not a well-formed list. */
  MALFORMED("malformed"),
  /** Signed and well-formed, but for another username than the account it is served for. */
  WRONG_USERNAME("wrongUsername"),
  /** Signed and well-formed, but it names another identity key than the one that signed it. */
  WRONG_IDENTITY("wrongIdentity"),
  /** A lower serial than the pin, or no list after a pinned list. */
  ROLLBACK("rollback"),
  /** The pin's serial with other bytes: the account signed two different lists with one serial. */
  FORK("fork"),
  /** A higher serial, but it brings back a removed id, changes an entry or lowers lastDeviceId. */
  NOT_DESCENDANT("notDescendant");

  private final String code;

  Refusal(String code) {
    this.code = code;
  }

  /** The name the vectors use ({@code devices.json}, {@code reason}). */
  public String code() {
    return code;
  }

  /** True for the refusals that mean the identity key did not vouch for the list as served. */
  public boolean isUntrusted() {
    return ordinal() <= WRONG_IDENTITY.ordinal();
  }
}
