package com.securecom.protocol.devices;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.Usernames;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a signed device list: which devices an account has, as its identity key (IKsig) says.
 * Layout (docs/protocol.md, "Device lists"; integers unsigned big-endian):
 *
 * <pre>
 * body = "SecureCom device list v1" [24]
 *        || u8(len(username)) || username [3..32]
 *        || IKsig [32] || u64(serial) || u64(issuedAt) || u32(lastDeviceId)
 *        || u8(count) || count x (u32(deviceId) || u64(createdAt))
 * </pre>
 *
 * <p>An instance is always well-formed: the username follows {@link Usernames}, {@code serial} is 1
 * to 2^53 - 1, {@code issuedAt} and every {@code createdAt} 0 to 2^53 - 1, 1 to 16 entries in
 * strictly increasing device id, each between 1 and {@code lastDeviceId}, itself at most
 * 999,999,999. So {@link #encode()} of a {@link #parse parsed} body gives back exactly that body
 * (there is one encoding of each list), and two lists are equal exactly when their bodies are.
 *
 * <p>This class says nothing about who signed a list: take lists from untrusted parties only
 * through {@link SignedDeviceList#verify}, which checks the signature before it parses.
 */
public final class DeviceList {
  /** The label that starts every body, so that no other signed message can pass for a list. */
  public static final String LABEL = "SecureCom device list v1";

  /**
   * The most entries a list may have; the server may allow fewer ({@code securecom.devices.max}).
   */
  public static final int MAX_ENTRIES = 16;

  /** 2^53 - 1: the highest serial or time, so that every number is exact in JavaScript. */
  public static final long MAX_NUMBER = (1L << 53) - 1;

  private static final byte[] LABEL_BYTES = Bytes.ascii(LABEL);
  private static final int FIXED_BYTES = LABEL_BYTES.length + 1 + 32 + 8 + 8 + 4 + 1;

  private final String username;
  private final byte[] identityKey;
  private final long serial;
  private final long issuedAt;
  private final int lastDeviceId;
  private final List<DeviceEntry> entries;

  private DeviceList(
      String username,
      byte[] identityKey,
      long serial,
      long issuedAt,
      int lastDeviceId,
      List<DeviceEntry> entries) {
    this.username = username;
    this.identityKey = identityKey.clone();
    this.serial = serial;
    this.issuedAt = issuedAt;
    this.lastDeviceId = lastDeviceId;
    this.entries = List.copyOf(entries);
  }

  /**
   * A list to sign.
   *
   * @throws IllegalArgumentException if it would not be well-formed (the message says why)
   */
  public static DeviceList of(
      String username,
      byte[] identityKey,
      long serial,
      long issuedAt,
      int lastDeviceId,
      List<DeviceEntry> entries) {
    String problem =
        username == null || identityKey == null || entries == null
            ? "null field"
            : problem(username, identityKey, serial, issuedAt, lastDeviceId, entries);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new DeviceList(username, identityKey, serial, issuedAt, lastDeviceId, entries);
  }

  /**
   * Reads a body, refusing anything but the one encoding of a well-formed list. Checks nothing
   * about the signature, the username or the key it names: see {@link SignedDeviceList#verify}.
   *
   * @throws MalformedDeviceListException naming the first rule the bytes break
   */
  public static DeviceList parse(byte[] body) throws MalformedDeviceListException {
    if (body == null || body.length < LABEL_BYTES.length + 1) {
      throw new MalformedDeviceListException("too short");
    }
    if (!Arrays.equals(body, 0, LABEL_BYTES.length, LABEL_BYTES, 0, LABEL_BYTES.length)) {
      throw new MalformedDeviceListException("not a device list v1 label");
    }
    ByteBuffer in = ByteBuffer.wrap(body, LABEL_BYTES.length, body.length - LABEL_BYTES.length);
    int nameLength = in.get() & 0xff;
    if (nameLength < 3 || nameLength > 32) {
      throw new MalformedDeviceListException("username length out of range: " + nameLength);
    }
    if (body.length < FIXED_BYTES + nameLength) {
      throw new MalformedDeviceListException("too short");
    }
    byte[] name = new byte[nameLength];
    in.get(name);
    for (byte b : name) {
      if (b < 0) {
        throw new MalformedDeviceListException("username is not ASCII");
      }
    }
    String username = new String(name, StandardCharsets.US_ASCII);
    byte[] identityKey = new byte[Ed25519.KEY_BYTES];
    in.get(identityKey);
    long serial = in.getLong();
    long issuedAt = in.getLong();
    long lastDeviceId = Integer.toUnsignedLong(in.getInt());
    int count = in.get() & 0xff;
    // The length first, so that a count that disagrees with the bytes is called what it is.
    if (count >= 1 && count <= MAX_ENTRIES && in.remaining() != count * DeviceEntry.BYTES) {
      throw new MalformedDeviceListException(
          "length does not match the count: "
              + in.remaining()
              + " bytes for "
              + count
              + " entries");
    }
    // Ranges before building anything, so that no value is cut to a Java type on the way.
    if (!DeviceIds.isValid(lastDeviceId)) {
      throw new MalformedDeviceListException("lastDeviceId out of range");
    }
    List<DeviceEntry> entries = new ArrayList<>();
    while (count >= 1 && count <= MAX_ENTRIES && in.hasRemaining()) {
      long deviceId = Integer.toUnsignedLong(in.getInt());
      long createdAt = in.getLong();
      if (!DeviceIds.isValid(deviceId) || createdAt < 0 || createdAt > MAX_NUMBER) {
        throw new MalformedDeviceListException("entry out of range");
      }
      entries.add(new DeviceEntry((int) deviceId, createdAt));
    }
    String problem =
        problem(username, identityKey, serial, issuedAt, (int) lastDeviceId, entries, count);
    if (problem != null) {
      throw new MalformedDeviceListException(problem);
    }
    return new DeviceList(username, identityKey, serial, issuedAt, (int) lastDeviceId, entries);
  }

  private static String problem(
      String username,
      byte[] identityKey,
      long serial,
      long issuedAt,
      int lastDeviceId,
      List<DeviceEntry> entries) {
    return problem(username, identityKey, serial, issuedAt, lastDeviceId, entries, entries.size());
  }

  private static String problem(
      String username,
      byte[] identityKey,
      long serial,
      long issuedAt,
      int lastDeviceId,
      List<DeviceEntry> entries,
      int count) {
    if (!Usernames.isValid(username)) {
      return "username does not follow the rule";
    }
    if (identityKey.length != Ed25519.KEY_BYTES) {
      return "identity key is not 32 bytes";
    }
    if (serial < 1 || serial > MAX_NUMBER) {
      return "serial out of range";
    }
    if (issuedAt < 0 || issuedAt > MAX_NUMBER) {
      return "issuedAt out of range";
    }
    if (!DeviceIds.isValid(lastDeviceId)) {
      return "lastDeviceId out of range";
    }
    if (count < 1 || count > MAX_ENTRIES) {
      return "count out of range: " + count;
    }
    int previous = 0;
    for (DeviceEntry entry : entries) {
      if (entry.deviceId() <= previous) {
        return "device ids not strictly increasing";
      }
      if (entry.deviceId() > lastDeviceId) {
        return "device id above lastDeviceId";
      }
      previous = entry.deviceId();
    }
    return null;
  }

  /** The body: the exact bytes the identity key signs. */
  public byte[] encode() {
    byte[] name = Bytes.ascii(username);
    ByteBuffer out =
        ByteBuffer.allocate(FIXED_BYTES + name.length + entries.size() * DeviceEntry.BYTES);
    out.put(LABEL_BYTES).put((byte) name.length).put(name).put(identityKey);
    out.putLong(serial).putLong(issuedAt).putInt(lastDeviceId).put((byte) entries.size());
    for (DeviceEntry entry : entries) {
      out.putInt(entry.deviceId()).putLong(entry.createdAt());
    }
    return out.array();
  }

  /** The account, exactly as the registry knows it. */
  public String username() {
    return username;
  }

  /** The account's Ed25519 identity key (IKsig), 32 bytes; a copy. */
  public byte[] identityKey() {
    return identityKey.clone();
  }

  /** 1 for an account's first list, one more for each list after it. */
  public long serial() {
    return serial;
  }

  /** When the signer made the list, in seconds since the epoch by its clock. Not checked here. */
  public long issuedAt() {
    return issuedAt;
  }

  /** The highest device id ever given in the account, listed or not. */
  public int lastDeviceId() {
    return lastDeviceId;
  }

  /** The devices, in increasing id. */
  public List<DeviceEntry> entries() {
    return entries;
  }

  /** The listed device ids, in increasing order. */
  public List<Integer> deviceIds() {
    return entries.stream().map(DeviceEntry::deviceId).toList();
  }

  /** True if the list names {@code deviceId}. */
  public boolean contains(int deviceId) {
    return entry(deviceId) != null;
  }

  /** The entry for {@code deviceId}, or null if the list does not name it. */
  public DeviceEntry entry(int deviceId) {
    for (DeviceEntry entry : entries) {
      if (entry.deviceId() == deviceId) {
        return entry;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceList list && Arrays.equals(encode(), list.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "DeviceList[" + username + ", serial " + serial + ", devices " + deviceIds() + "]";
  }
}
