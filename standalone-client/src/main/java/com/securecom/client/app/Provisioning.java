package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import com.securecom.protocol.Usernames;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.DeviceListRefusedException;
import com.securecom.protocol.devices.ProvisioningCipher;
import com.securecom.protocol.devices.SignedDeviceList;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plaintext of the provisioning message (docs/protocol.md, "The provisioning message"): what an
 * existing device hands a new one, as compact JSON, and the new device's checks of it. Every
 * failure is the one {@link LinkFailedException#DOES_NOT_MATCH}: a message that is not exactly
 * right tells the user nothing an attacker could tune against.
 */
final class Provisioning {
  /** The most contacts a message carries. */
  static final int MAX_CONTACTS = 1_000;

  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9_-]{43}");

  private Provisioning() {}

  /** The JSON of {@code grant}, with its first {@code contacts} contacts. */
  static byte[] encode(DeviceLinking.Grant grant, int contacts) {
    JsonArrayBuilder pins = Json.createArrayBuilder();
    for (DeviceLinking.PinnedContact c : grant.contacts().subList(0, contacts)) {
      JsonObjectBuilder pin =
          Json.createObjectBuilder()
              .add("username", c.identity().username())
              .add("identityKey", Bytes.base64(c.identity().identityKey()))
              .add(
                  "identityDhKey",
                  Json.createObjectBuilder()
                      .add("publicKey", Bytes.base64(c.identity().identityDhKey()))
                      .add("signature", Bytes.base64(c.identity().identityDhSignature())))
              .add("verified", c.verified());
      if (c.deviceList() != null) {
        pin.add("deviceList", listJson(c.deviceList()));
      }
      pins.add(pin);
    }
    byte[] dhPublic = X25519.publicKey(grant.identityDhKey());
    JsonObject json =
        Json.createObjectBuilder()
            .add("type", "provision")
            .add("version", 1)
            .add(
                "identity",
                Json.createObjectBuilder()
                    .add("signingKey", Bytes.base64(grant.identitySigningKey()))
                    .add("dhPrivateKey", Bytes.base64(grant.identityDhKey()))
                    .add(
                        "dhSignature",
                        Bytes.base64(
                            Ed25519.sign(
                                grant.identitySigningKey(),
                                KeySignatures.identityDhKeyMessage(dhPublic)))))
            .add("deviceList", listJson(grant.deviceList()))
            .add("ticket", grant.ticket())
            .add("serverKey", Bytes.base64(grant.serverKey()))
            .add("contacts", pins)
            .build();
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObjectBuilder listJson(SignedDeviceList list) {
    return Json.createObjectBuilder()
        .add("body", Bytes.base64(list.body()))
        .add("signature", Bytes.base64(list.signature()));
  }

  /**
   * The grant in an opened message, checked in the documented order (steps 2 to 4 and 6 of "The new
   * device's steps"; step 5, the server key, is the caller's).
   *
   * @throws LinkFailedException ({@link LinkFailedException#DOES_NOT_MATCH}) if any check fails
   */
  static DeviceLinking.Grant decode(ProvisioningCipher.Opened opened) {
    try {
      return read(opened);
    } catch (RuntimeException | DeviceListRefusedException malformed) {
      throw new LinkFailedException(LinkFailedException.DOES_NOT_MATCH, malformed);
    }
  }

  private static DeviceLinking.Grant read(ProvisioningCipher.Opened opened)
      throws DeviceListRefusedException {
    JsonObject json;
    try (JsonReader reader =
        Json.createReaderFactory(Map.of())
            .createReader(new ByteArrayInputStream(opened.plaintext()))) {
      json = reader.readObject();
    }
    if (!"provision".equals(string(json, "type"))
        || !(json.get("version") instanceof JsonNumber version)
        || !version.isIntegral()
        || version.intValueExact() != 1) {
      throw new IllegalArgumentException("not a provisioning message of version 1");
    }
    JsonObject identity = object(json, "identity");
    byte[] signing = bytes(identity, "signingKey", Ed25519.KEY_BYTES);
    byte[] dh = bytes(identity, "dhPrivateKey", X25519.KEY_BYTES);
    byte[] dhSignature = bytes(identity, "dhSignature", Ed25519.SIGNATURE_BYTES);
    SignedDeviceList signed = list(object(json, "deviceList"));
    String ticket = string(json, "ticket");
    byte[] serverKey = bytes(json, "serverKey", Ed25519.KEY_BYTES);
    if (!(json.get("contacts") instanceof JsonArray contactsJson)
        || contactsJson.size() > MAX_CONTACTS
        || !TICKET.matcher(ticket).matches()) {
      throw new IllegalArgumentException("contacts or ticket");
    }
    byte[] identityKey = Ed25519.publicKey(signing);
    if (!KeySignatures.isIdentityDhKey(identityKey, X25519.publicKey(dh), dhSignature)) {
      throw new IllegalArgumentException("the identity DH key is not signed by the identity");
    }
    ProvisioningCipher.Header header = opened.header();
    DeviceList list = signed.verify(header.username(), identityKey);
    if (!list.contains(header.linkingDeviceId())
        || !list.contains(header.newDeviceId())
        || list.lastDeviceId() != header.newDeviceId()) {
      throw new IllegalArgumentException("the list does not add the new device");
    }
    List<DeviceLinking.PinnedContact> contacts = new ArrayList<>(contactsJson.size());
    for (JsonValue value : contactsJson) {
      contacts.add(contact(value.asJsonObject(), header.username()));
    }
    return new DeviceLinking.Grant(
        header.username(), serverKey, signing, dh, header.newDeviceId(), ticket, signed, contacts);
  }

  private static DeviceLinking.PinnedContact contact(JsonObject json, String account)
      throws DeviceListRefusedException {
    String username = string(json, "username");
    if (!Usernames.isValid(username) || username.equals(account)) {
      throw new IllegalArgumentException("a contact's username");
    }
    JsonObject dh = object(json, "identityDhKey");
    PeerIdentity identity =
        new PeerIdentity(
            username,
            bytes(json, "identityKey", Ed25519.KEY_BYTES),
            bytes(dh, "publicKey", X25519.KEY_BYTES),
            bytes(dh, "signature", Ed25519.SIGNATURE_BYTES));
    if (!identity.isSelfConsistent()) {
      throw new IllegalArgumentException("a contact's identity DH key is not signed");
    }
    JsonValue verified = json.get("verified");
    if (verified != JsonValue.TRUE && verified != JsonValue.FALSE) {
      throw new IllegalArgumentException("verified");
    }
    SignedDeviceList list = null;
    if (json.containsKey("deviceList")) {
      list = list(object(json, "deviceList"));
      list.verify(username, identity.identityKey());
    }
    return new DeviceLinking.PinnedContact(identity, verified == JsonValue.TRUE, list);
  }

  private static SignedDeviceList list(JsonObject json) {
    return new SignedDeviceList(
        bytes(json, "body", 0), bytes(json, "signature", Ed25519.SIGNATURE_BYTES));
  }

  private static String string(JsonObject json, String member) {
    if (!(json.get(member) instanceof JsonString s)) {
      throw new IllegalArgumentException(member + " is not a string");
    }
    return s.getString();
  }

  private static JsonObject object(JsonObject json, String member) {
    if (!(json.get(member) instanceof JsonObject o)) {
      throw new IllegalArgumentException(member + " is not an object");
    }
    return o;
  }

  /** Canonical base64 of exactly {@code length} bytes (any positive length for 0). */
  private static byte[] bytes(JsonObject json, String member, int length) {
    byte[] b = Bytes.fromCanonicalBase64(string(json, member));
    if (b == null || (length > 0 ? b.length != length : b.length == 0)) {
      throw new IllegalArgumentException(member + " is not canonical base64 of its length");
    }
    return b;
  }
}
