package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.groups.GroupStateJson;
import com.securecom.protocol.groups.MalformedGroupException;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Everything secret or integrity-critical a profile holds, as one JSON document that the store
 * encrypts: the identity and prekey private keys, the bearer token, pinned contacts, ratchet
 * sessions, recently received message ids (to drop relay redeliveries), and the outbox of messages
 * encrypted but not yet accepted by the server. Not thread-safe: the {@link Vault} guards it.
 */
final class ProfileData {
  /** Looked up once: {@code Json.create...} looks the provider up on every call. */
  private static final JsonProvider JSON = JsonProvider.provider();

  static final int RECENT_IDS_PER_PEER = 2000;

  LocalIdentity identity;

  /** This profile's device of its account (1 unless it was linked to an existing account). */
  int deviceId = DeviceIds.FIRST;

  /**
   * The device lists this profile pinned (docs/protocol.md, "What a client does with a served
   * list"), by username, its own account's included; a user without one is a legacy account (device
   * 1 only). Change them only through {@link DeviceLists}.
   */
  final Map<String, SignedDeviceList> deviceLists = new TreeMap<>();

  final TreeMap<Long, SignedPreKeyEntry> signedPreKeys = new TreeMap<>();
  final TreeMap<Long, X25519.KeyPair> oneTimePreKeys = new TreeMap<>();
  long nextPreKeyId = 1;
  String token;
  Instant tokenExpiresAt;
  final Map<String, Contact> contacts = new TreeMap<>();
  final Map<String, byte[]> sessions = new TreeMap<>();

  /**
   * The groups this profile knows, by id (32 hex characters). Values are replaced, never changed in
   * place (the journal compares them by reference); change them only through {@link Groups}.
   */
  final Map<String, KnownGroup> groups = new TreeMap<>();

  final Map<String, Deque<String>> recentIds = new TreeMap<>();
  private final Map<String, Outgoing> outboxEntries = new LinkedHashMap<>();

  /**
   * The outbox, oldest first, read-only: change it with {@link #queue} and {@link #unqueue}, which
   * the journal follows.
   */
  final Map<String, Outgoing> outbox = Collections.unmodifiableMap(outboxEntries);

  private final LinkedHashMap<String, Sent> sentEntries = new LinkedHashMap<>();

  /**
   * Texts this user sent, by relay id, oldest first: what end-to-end receipts may move forward.
   * Read-only: change it with {@link #rememberSent}, {@link #updateSent} and {@link #forgetSent}.
   */
  final Map<String, Sent> sent = Collections.unmodifiableMap(sentEntries);

  /** What changed since the last save, for the journal ({@link #changes}). */
  private final Changes changes = new Changes();

  /**
   * Peers sent an "undecryptable" receipt since their last message that decrypted (at most one
   * each).
   */
  final Set<String> undecryptableNoticeSent = new TreeSet<>();

  /** A signed prekey with its private half and when it was made. */
  record SignedPreKeyEntry(
      long keyId, X25519.KeyPair keyPair, byte[] signature, Instant createdAt) {}

  /**
   * A message encrypted (the ratchets moved) but not yet accepted by the server: resent on the next
   * connection, same id and same envelopes.
   *
   * @param to the other user it is for; for a group message, {@code #} and the group's id ({@link
   *     Groups#outboxName}: no username has a {@code #})
   * @param copies one envelope per device, as the {@code send} carries them
   * @param payload the payload as encrypted for device 1 of {@code to} (base64 of its encoding), to
   *     encrypt for a device that joins the recipient's list before the server accepts it; null for
   *     an entry written before linked devices
   */
  record Outgoing(String id, String to, List<WireMessage.Copy> copies, String payload) {
    Outgoing {
      copies = List.copyOf(copies);
    }

    /** An entry of one copy, for device 1 of {@code to}. */
    Outgoing(String id, String to, String envelope) {
      this(id, to, List.of(new WireMessage.Copy(to, DeviceIds.FIRST, envelope)), null);
    }

    /** The {@code send} that hands it to the relay (relay message version 4). */
    WireMessage.Send send() {
      return new WireMessage.Send(id, copies);
    }
  }

  static final int SENT_REMEMBERED = 5000;

  /** A text this user sent to {@code to}, and how far it got. */
  record Sent(String to, SentState state) {}

  /** Remembers a sent text, forgetting the oldest beyond {@link #SENT_REMEMBERED}. */
  void rememberSent(String id, String to) {
    rememberSent(id, to, SentState.SENDING);
  }

  /**
   * Remembers a text sent in state {@code state} (a transcript: another device of this account sent
   * it, and the server stored it), forgetting the oldest beyond {@link #SENT_REMEMBERED}.
   */
  void rememberSent(String id, String to, SentState state) {
    updateSent(id, new Sent(to, state));
    Iterator<String> oldest = sentEntries.keySet().iterator();
    while (sentEntries.size() > SENT_REMEMBERED) {
      changes.sent.add(oldest.next());
      oldest.remove();
    }
  }

  /** Records how far sent text {@code id} got (a new id goes last). */
  void updateSent(String id, Sent state) {
    sentEntries.put(id, state);
    changes.sent.add(id);
  }

  /** Forgets sent text {@code id}; true if it was remembered. */
  boolean forgetSent(String id) {
    changes.sent.add(id);
    return sentEntries.remove(id) != null;
  }

  /** Puts an encrypted message in the outbox until the server accepts it. */
  void queue(Outgoing message) {
    outboxEntries.put(message.id(), message);
    changes.outbox.add(message.id());
  }

  /** Takes message {@code id} out of the outbox; true if it was there. */
  boolean unqueue(String id) {
    changes.outbox.add(id);
    return outboxEntries.remove(id) != null;
  }

  /**
   * How a device of a user keys what the profile holds per device (sessions, recent ids): the
   * username for device 1 (the form of profiles written before linked devices, which therefore read
   * unchanged), {@code username:device} for the others; usernames contain no {@code :}.
   */
  static String deviceKey(String user, int device) {
    return device == DeviceIds.FIRST ? user : user + ":" + device;
  }

  boolean hasValidToken(Instant now) {
    return token != null && tokenExpiresAt != null && tokenExpiresAt.isAfter(now);
  }

  boolean hasReceived(String from, String id) {
    Deque<String> ids = recentIds.get(from);
    return ids != null && ids.contains(id);
  }

  /** Remembers a received id; false if it was seen already. */
  boolean rememberReceived(String from, String id) {
    Deque<String> ids = recentIds.computeIfAbsent(from, k -> new ArrayDeque<>());
    if (ids.contains(id)) {
      return false;
    }
    ids.addLast(id);
    changes.received.add(new String[] {from, id});
    while (ids.size() > RECENT_IDS_PER_PEER) {
      ids.removeFirst();
    }
    return true;
  }

  SignedPreKeyEntry currentSignedPreKey() {
    return signedPreKeys.lastEntry().getValue();
  }

  JsonObject toJson() {
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("version", 2)
            .add("deviceId", deviceId)
            .add(
                "identity",
                JSON.createObjectBuilder()
                    .add("signing", Bytes.base64(identity.signingKeyPair().privateKey()))
                    .add("dh", Bytes.base64(identity.dhKeyPair().privateKey())))
            .add("nextPreKeyId", nextPreKeyId);
    JsonArrayBuilder spks = JSON.createArrayBuilder();
    signedPreKeys
        .values()
        .forEach(
            k ->
                spks.add(
                    JSON.createObjectBuilder()
                        .add("keyId", k.keyId())
                        .add("private", Bytes.base64(k.keyPair().privateKey()))
                        .add("signature", Bytes.base64(k.signature()))
                        .add("createdAt", k.createdAt().toString())));
    json.add("signedPreKeys", spks);
    JsonObjectBuilder otpks = JSON.createObjectBuilder();
    oneTimePreKeys.forEach(
        (id, pair) -> otpks.add(Long.toString(id), Bytes.base64(pair.privateKey())));
    json.add("oneTimePreKeys", otpks);
    if (token != null) {
      json.add("token", token).add("tokenExpiresAt", tokenExpiresAt.toString());
    }
    JsonObjectBuilder peers = JSON.createObjectBuilder();
    contacts.forEach((name, c) -> peers.add(name, contactJson(c)));
    json.add("contacts", peers);
    JsonObjectBuilder lists = JSON.createObjectBuilder();
    deviceLists.forEach(
        (name, list) ->
            lists.add(
                name,
                JSON.createObjectBuilder()
                    .add("body", Bytes.base64(list.body()))
                    .add("signature", Bytes.base64(list.signature()))));
    json.add("deviceLists", lists);
    JsonObjectBuilder sessionJson = JSON.createObjectBuilder();
    sessions.forEach((name, bytes) -> sessionJson.add(name, Bytes.base64(bytes)));
    json.add("sessions", sessionJson);
    JsonObjectBuilder groupJson = JSON.createObjectBuilder();
    groups.forEach((hex, g) -> groupJson.add(hex, groupJson(g)));
    json.add("groups", groupJson);
    JsonObjectBuilder recent = JSON.createObjectBuilder();
    recentIds.forEach(
        (name, ids) -> recent.add(name, JSON.createArrayBuilder(ids.stream().toList())));
    json.add("recentIds", recent);
    JsonArrayBuilder pending = JSON.createArrayBuilder();
    outboxEntries.values().forEach(o -> pending.add(outgoingJson(o)));
    json.add("outbox", pending);
    JsonArrayBuilder sentJson = JSON.createArrayBuilder();
    sentEntries.forEach((id, m) -> sentJson.add(sentJson(id, m)));
    json.add("sent", sentJson);
    json.add(
        "undecryptableNoticeSent", JSON.createArrayBuilder(List.copyOf(undecryptableNoticeSent)));
    return json.build();
  }

  private static JsonObjectBuilder contactJson(Contact c) {
    JsonObjectBuilder contact = identityJson(c.identity()).add("verified", c.verified());
    if (c.pending() != null) {
      contact.add("pending", identityJson(c.pending()));
    }
    return contact;
  }

  private static Contact contact(String name, JsonObject c) {
    PeerIdentity pin = identity(name, c);
    if (c.getBoolean("blocked", false)) {
      // A profile of version 1 replaced a verified pin on any change and blocked sending: keep it
      // blocked until the user verifies (the replaced pin is gone, so the "pending" identity is
      // the one it holds now).
      return new Contact(pin, true, pin);
    }
    return new Contact(
        pin,
        c.getBoolean("verified"),
        c.containsKey("pending") ? identity(name, c.getJsonObject("pending")) : null);
  }

  /**
   * A known group: its state in the one strict encoding of the protocol (as a string, read back
   * with the same strict decoder), and this user's status.
   */
  private static JsonObjectBuilder groupJson(KnownGroup g) {
    return JSON.createObjectBuilder()
        .add("state", GroupStateJson.encode(g.state()))
        .add("status", g.status().name());
  }

  private static KnownGroup group(JsonObject g) {
    try {
      return new KnownGroup(
          GroupStateJson.decode(g.getString("state")),
          KnownGroup.Status.valueOf(g.getString("status")));
    } catch (MalformedGroupException e) {
      throw new IllegalStateException("the profile holds a malformed group state", e);
    }
  }

  private static JsonObjectBuilder outgoingJson(Outgoing o) {
    JsonArrayBuilder copies = JSON.createArrayBuilder();
    o.copies()
        .forEach(
            c ->
                copies.add(
                    JSON.createObjectBuilder()
                        .add("to", c.to())
                        .add("device", c.device())
                        .add("envelope", c.envelope())));
    JsonObjectBuilder json =
        JSON.createObjectBuilder().add("id", o.id()).add("to", o.to()).add("copies", copies);
    if (o.payload() != null) {
      json.add("payload", o.payload());
    }
    return json;
  }

  /** An outbox entry; one of state version 1 ({@code envelope}, no copies) is device 1's. */
  private static Outgoing outgoing(JsonObject o) {
    if (!o.containsKey("copies")) {
      return new Outgoing(o.getString("id"), o.getString("to"), o.getString("envelope"));
    }
    List<WireMessage.Copy> copies = new ArrayList<>();
    for (JsonValue v : o.getJsonArray("copies")) {
      JsonObject c = v.asJsonObject();
      copies.add(
          new WireMessage.Copy(c.getString("to"), c.getInt("device"), c.getString("envelope")));
    }
    return new Outgoing(o.getString("id"), o.getString("to"), copies, o.getString("payload", null));
  }

  private static JsonObjectBuilder sentJson(String id, Sent m) {
    return JSON.createObjectBuilder()
        .add("id", id)
        .add("to", m.to())
        .add("state", m.state().name());
  }

  private static Sent sent(JsonObject m) {
    return new Sent(m.getString("to"), SentState.valueOf(m.getString("state")));
  }

  private static JsonObjectBuilder identityJson(PeerIdentity identity) {
    return JSON.createObjectBuilder()
        .add("identityKey", Bytes.base64(identity.identityKey()))
        .add("identityDhKey", Bytes.base64(identity.identityDhKey()))
        .add("identityDhSignature", Bytes.base64(identity.identityDhSignature()));
  }

  private static PeerIdentity identity(String name, JsonObject json) {
    return new PeerIdentity(
        name,
        Bytes.fromBase64(json.getString("identityKey")),
        Bytes.fromBase64(json.getString("identityDhKey")),
        Bytes.fromBase64(json.getString("identityDhSignature")));
  }

  static ProfileData fromJson(JsonObject json) {
    ProfileData data = new ProfileData();
    JsonObject id = json.getJsonObject("identity");
    byte[] signing = Bytes.fromBase64(id.getString("signing"));
    byte[] dh = Bytes.fromBase64(id.getString("dh"));
    data.identity =
        new LocalIdentity(
            new Ed25519.KeyPair(signing, Ed25519.publicKey(signing)),
            new X25519.KeyPair(dh, X25519.publicKey(dh)));
    data.nextPreKeyId = json.getJsonNumber("nextPreKeyId").longValue();
    data.deviceId = json.getInt("deviceId", DeviceIds.FIRST); // state version 1: device 1
    for (JsonValue v : json.getJsonArray("signedPreKeys")) {
      JsonObject k = v.asJsonObject();
      byte[] priv = Bytes.fromBase64(k.getString("private"));
      long keyId = k.getJsonNumber("keyId").longValue();
      data.signedPreKeys.put(
          keyId,
          new SignedPreKeyEntry(
              keyId,
              new X25519.KeyPair(priv, X25519.publicKey(priv)),
              Bytes.fromBase64(k.getString("signature")),
              Instant.parse(k.getString("createdAt"))));
    }
    json.getJsonObject("oneTimePreKeys")
        .forEach(
            (keyId, v) -> {
              byte[] priv = Bytes.fromBase64(((JsonString) v).getString());
              data.oneTimePreKeys.put(
                  Long.parseLong(keyId), new X25519.KeyPair(priv, X25519.publicKey(priv)));
            });
    if (json.containsKey("token")) {
      data.token = json.getString("token");
      data.tokenExpiresAt = Instant.parse(json.getString("tokenExpiresAt"));
    }
    json.getJsonObject("contacts")
        .forEach((name, v) -> data.contacts.put(name, contact(name, v.asJsonObject())));
    if (json.containsKey("deviceLists")) {
      json.getJsonObject("deviceLists")
          .forEach(
              (name, v) ->
                  data.deviceLists.put(
                      name,
                      new SignedDeviceList(
                          Bytes.fromBase64(v.asJsonObject().getString("body")),
                          Bytes.fromBase64(v.asJsonObject().getString("signature")))));
    }
    json.getJsonObject("sessions")
        .forEach(
            (name, v) -> data.sessions.put(name, Bytes.fromBase64(((JsonString) v).getString())));
    if (json.containsKey("groups")) {
      json.getJsonObject("groups")
          .forEach((hex, v) -> data.groups.put(hex, group(v.asJsonObject())));
    }
    json.getJsonObject("recentIds")
        .forEach(
            (name, v) -> {
              Deque<String> ids = new ArrayDeque<>();
              v.asJsonArray().getValuesAs(JsonString.class).forEach(s -> ids.add(s.getString()));
              data.recentIds.put(name, ids);
            });
    for (JsonValue v : json.getJsonArray("outbox")) {
      Outgoing o = outgoing(v.asJsonObject());
      data.outboxEntries.put(o.id(), o);
    }
    if (json.containsKey("sent")) {
      for (JsonValue v : json.getJsonArray("sent")) {
        JsonObject m = v.asJsonObject();
        data.sentEntries.put(m.getString("id"), sent(m));
      }
    }
    if (json.containsKey("undecryptableNoticeSent")) {
      json.getJsonArray("undecryptableNoticeSent")
          .getValuesAs(JsonString.class)
          .forEach(name -> data.undecryptableNoticeSent.add(name.getString()));
    }
    data.markSaved();
    return data;
  }

  /**
   * What changed since the last {@link #markSaved} as one journal record (see {@link #apply}):
   * empty if nothing changed, absent if a change is one the journal does not carry (keys, token)
   * and the whole state must be written instead.
   */
  Optional<JsonObject> changes() {
    if (!Fixed.of(this).equals(changes.fixed)) {
      return Optional.empty();
    }
    JsonObjectBuilder record = JSON.createObjectBuilder();
    JsonArrayBuilder sessionChanges = JSON.createArrayBuilder();
    Changes.diff(
        changes.sessions,
        sessions,
        (name, bytes) ->
            sessionChanges.add(
                bytes == null
                    ? JSON.createObjectBuilder().add("k", name)
                    : JSON.createObjectBuilder().add("k", name).add("v", Bytes.base64(bytes))));
    record.add("sessions", sessionChanges);
    JsonArrayBuilder contactChanges = JSON.createArrayBuilder();
    Changes.diff(
        changes.contacts,
        contacts,
        (name, c) ->
            contactChanges.add(
                c == null
                    ? JSON.createObjectBuilder().add("k", name)
                    : JSON.createObjectBuilder().add("k", name).add("v", contactJson(c))));
    record.add("contacts", contactChanges);
    JsonArrayBuilder groupChanges = JSON.createArrayBuilder();
    Changes.diff(
        changes.groups,
        groups,
        (hex, g) ->
            groupChanges.add(
                g == null
                    ? JSON.createObjectBuilder().add("k", hex)
                    : JSON.createObjectBuilder().add("k", hex).add("v", groupJson(g))));
    record.add("groups", groupChanges);
    JsonArrayBuilder outboxChanges = JSON.createArrayBuilder();
    for (String id : changes.outbox) {
      Outgoing o = outboxEntries.get(id);
      outboxChanges.add(
          o == null
              ? JSON.createObjectBuilder().add("k", id)
              : JSON.createObjectBuilder().add("k", id).add("v", outgoingJson(o)));
    }
    record.add("outbox", outboxChanges);
    JsonArrayBuilder sentChanges = JSON.createArrayBuilder();
    for (String id : changes.sent) {
      Sent m = sentEntries.get(id);
      sentChanges.add(
          m == null
              ? JSON.createObjectBuilder().add("k", id)
              : JSON.createObjectBuilder().add("k", id).add("v", sentJson(id, m)));
    }
    record.add("sent", sentChanges);
    JsonArrayBuilder received = JSON.createArrayBuilder();
    changes.received.forEach(
        pair -> received.add(JSON.createArrayBuilder().add(pair[0]).add(pair[1])));
    record.add("received", received);
    if (!changes.notices.equals(undecryptableNoticeSent)) {
      record.add(
          "undecryptableNoticeSent", JSON.createArrayBuilder(List.copyOf(undecryptableNoticeSent)));
    }
    JsonObject built = record.build();
    boolean empty =
        built.entrySet().stream().allMatch(e -> e.getValue() instanceof JsonArray a && a.isEmpty());
    return Optional.of(empty ? JsonValue.EMPTY_JSON_OBJECT : built);
  }

  /** What is in memory is now what the profile holds on disk: the next change starts here. */
  void markSaved() {
    changes.reset(this);
  }

  /** Applies a journal record made by {@link #changes}, in the order it lists the changes. */
  void apply(JsonObject record) {
    for (JsonValue v : record.getJsonArray("sessions")) {
      JsonObject change = v.asJsonObject();
      if (change.containsKey("v")) {
        sessions.put(change.getString("k"), Bytes.fromBase64(change.getString("v")));
      } else {
        sessions.remove(change.getString("k"));
      }
    }
    for (JsonValue v : record.getJsonArray("contacts")) {
      JsonObject change = v.asJsonObject();
      String name = change.getString("k");
      if (change.containsKey("v")) {
        contacts.put(name, contact(name, change.getJsonObject("v")));
      } else {
        contacts.remove(name);
      }
    }
    for (JsonValue v :
        record.containsKey("groups") ? record.getJsonArray("groups") : JsonValue.EMPTY_JSON_ARRAY) {
      JsonObject change = v.asJsonObject();
      if (change.containsKey("v")) {
        groups.put(change.getString("k"), group(change.getJsonObject("v")));
      } else {
        groups.remove(change.getString("k"));
      }
    }
    for (JsonValue v : record.getJsonArray("outbox")) {
      JsonObject change = v.asJsonObject();
      if (change.containsKey("v")) {
        Outgoing o = outgoing(change.getJsonObject("v"));
        outboxEntries.put(o.id(), o);
      } else {
        outboxEntries.remove(change.getString("k"));
      }
    }
    for (JsonValue v : record.getJsonArray("sent")) {
      JsonObject change = v.asJsonObject();
      if (change.containsKey("v")) {
        sentEntries.put(change.getString("k"), sent(change.getJsonObject("v")));
      } else {
        sentEntries.remove(change.getString("k"));
      }
    }
    for (JsonValue v : record.getJsonArray("received")) {
      JsonArray pair = v.asJsonArray();
      rememberReceived(pair.getString(0), pair.getString(1));
    }
    if (record.containsKey("undecryptableNoticeSent")) {
      undecryptableNoticeSent.clear();
      record
          .getJsonArray("undecryptableNoticeSent")
          .getValuesAs(JsonString.class)
          .forEach(name -> undecryptableNoticeSent.add(name.getString()));
    }
  }

  /**
   * The parts of the state a journal record does not carry, compared whole: when one differs from
   * the last save, the save writes the whole state. They change only with prekeys (made, used),
   * logins and device lists, rarely.
   */
  private record Fixed(
      LocalIdentity identity,
      int deviceId,
      Map<String, SignedDeviceList> deviceLists,
      long nextPreKeyId,
      int oneTimePreKeys,
      Long firstOneTimePreKey,
      Long lastOneTimePreKey,
      int signedPreKeys,
      Long lastSignedPreKey,
      String token,
      Instant tokenExpiresAt) {
    static Fixed of(ProfileData data) {
      return new Fixed(
          data.identity,
          data.deviceId,
          Map.copyOf(data.deviceLists),
          data.nextPreKeyId,
          data.oneTimePreKeys.size(),
          data.oneTimePreKeys.isEmpty() ? null : data.oneTimePreKeys.firstKey(),
          data.oneTimePreKeys.isEmpty() ? null : data.oneTimePreKeys.lastKey(),
          data.signedPreKeys.size(),
          data.signedPreKeys.isEmpty() ? null : data.signedPreKeys.lastKey(),
          data.token,
          data.tokenExpiresAt);
    }
  }

  /**
   * The state as last saved, where a journal record needs it: ids of the outbox and sent texts
   * touched since (in order), received ids, and the sessions, contacts and groups as they were
   * (compared by reference: their values are replaced, never changed in place).
   */
  private static final class Changes {
    final Set<String> outbox = new LinkedHashSet<>();
    final Set<String> sent = new LinkedHashSet<>();
    final List<String[]> received = new ArrayList<>();
    Map<String, byte[]> sessions = Map.of();
    Map<String, Contact> contacts = Map.of();
    Map<String, KnownGroup> groups = Map.of();
    Set<String> notices = Set.of();
    Fixed fixed;

    void reset(ProfileData data) {
      outbox.clear();
      sent.clear();
      received.clear();
      sessions = new HashMap<>(data.sessions);
      contacts = new HashMap<>(data.contacts);
      groups = new HashMap<>(data.groups);
      notices = Set.copyOf(data.undecryptableNoticeSent);
      fixed = Fixed.of(data);
    }

    /** Calls {@code changed} for each entry put (with its value) or removed (with null). */
    static <V> void diff(Map<String, V> saved, Map<String, V> now, BiConsumer<String, V> changed) {
      now.forEach(
          (k, v) -> {
            if (saved.get(k) != v) {
              changed.accept(k, v);
            }
          });
      saved.keySet().stream()
          .filter(k -> !now.containsKey(k))
          .forEach(k -> changed.accept(k, null));
    }
  }
}
