package com.securecom.protocol.devices;

import com.securecom.protocol.crypto.Ed25519;
import java.util.Arrays;

/**
 * A device list body and the identity key's Ed25519 signature over exactly those bytes, as it
 * travels ({@code {"body": base64, "signature": base64}}) and as the server stores and serves it,
 * never re-encoded.
 *
 * <p>{@link #verify} is the only way from these bytes to a {@link DeviceList}: it checks the
 * signature under the key the caller already trusts for the account (the registry's for the server,
 * the pinned one for a client) before it parses anything, then that the body is well-formed and
 * names that account and that key. A list that verifies was signed by the holder of that identity
 * key for that account; whether it is newer than another is {@link Succession}'s question.
 *
 * @param body the signed bytes (see {@link DeviceList})
 * @param signature 64 bytes, {@code Ed25519(IKsig, body)}
 */
public record SignedDeviceList(byte[] body, byte[] signature) {
  public SignedDeviceList {
    body = body.clone();
    signature = signature.clone();
  }

  /**
   * Signs {@code list} with the identity key's private half (the 32-byte seed).
   *
   * @throws IllegalArgumentException if the key is not the one the list names
   */
  public static SignedDeviceList sign(DeviceList list, byte[] identityPrivateKey) {
    if (!Arrays.equals(Ed25519.publicKey(identityPrivateKey), list.identityKey())) {
      throw new IllegalArgumentException("the list names another identity key than the signer's");
    }
    byte[] body = list.encode();
    return new SignedDeviceList(body, Ed25519.sign(identityPrivateKey, body));
  }

  /**
   * The list, if {@code identityKey} signed these exact bytes and they are a well-formed list for
   * {@code username} naming {@code identityKey}. Checks in that order and stops at the first
   * failure.
   *
   * @throws DeviceListRefusedException with {@link Refusal#BAD_SIGNATURE}, {@link
   *     Refusal#MALFORMED}, {@link Refusal#WRONG_USERNAME} or {@link Refusal#WRONG_IDENTITY}
   */
  public DeviceList verify(String username, byte[] identityKey) throws DeviceListRefusedException {
    if (!Ed25519.verify(identityKey, body, signature)) {
      throw new DeviceListRefusedException(
          Refusal.BAD_SIGNATURE, "the device list is not signed by the account's identity key");
    }
    DeviceList list;
    try {
      list = DeviceList.parse(body);
    } catch (MalformedDeviceListException e) {
      throw new DeviceListRefusedException(
          Refusal.MALFORMED, "the device list is malformed: " + e.getMessage());
    }
    if (!list.username().equals(username)) {
      throw new DeviceListRefusedException(
          Refusal.WRONG_USERNAME, "the device list is for another account");
    }
    if (!Arrays.equals(list.identityKey(), identityKey)) {
      throw new DeviceListRefusedException(
          Refusal.WRONG_IDENTITY, "the device list names another identity key");
    }
    return list;
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedDeviceList s
        && Arrays.equals(body, s.body)
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(body) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedDeviceList[" + body.length + " bytes]";
  }
}
