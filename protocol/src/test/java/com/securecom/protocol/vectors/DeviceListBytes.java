package com.securecom.protocol.vectors;

import com.securecom.protocol.crypto.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A device list body written field by field from the layout in docs/protocol.md ("Device lists"),
 * without the implementation, and with no check of any field: the vector generator and the tests
 * make valid bodies with it to compare against {@code DeviceList.encode()}, and invalid ones to
 * feed the parser.
 */
public final class DeviceListBytes {
  public static final String LABEL = "SecureCom device list v1";

  private String label = LABEL;
  private byte[] username = Bytes.ascii("alice");
  private Integer usernameLength;
  private byte[] identityKey = new byte[32];
  private long serial = 1;
  private long issuedAt = 0;
  private long lastDeviceId = 1;
  private Integer count;
  private final List<long[]> entries = new ArrayList<>();
  private byte[] trailing = new byte[0];

  public DeviceListBytes copy() {
    DeviceListBytes c = new DeviceListBytes();
    c.label = label;
    c.username = username.clone();
    c.usernameLength = usernameLength;
    c.identityKey = identityKey.clone();
    c.serial = serial;
    c.issuedAt = issuedAt;
    c.lastDeviceId = lastDeviceId;
    c.count = count;
    entries.forEach(e -> c.entries.add(e.clone()));
    c.trailing = trailing.clone();
    return c;
  }

  public DeviceListBytes label(String value) {
    label = value;
    return this;
  }

  public DeviceListBytes username(String value) {
    username = value.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Writes {@code value} as {@code u8(len(username))} instead of the real length. */
  public DeviceListBytes usernameLength(int value) {
    usernameLength = value;
    return this;
  }

  public DeviceListBytes identityKey(byte[] value) {
    identityKey = value.clone();
    return this;
  }

  public DeviceListBytes serial(long value) {
    serial = value;
    return this;
  }

  public DeviceListBytes issuedAt(long value) {
    issuedAt = value;
    return this;
  }

  public DeviceListBytes lastDeviceId(long value) {
    lastDeviceId = value;
    return this;
  }

  /** Writes {@code value} as {@code u8(count)} instead of the number of entries. */
  public DeviceListBytes count(int value) {
    count = value;
    return this;
  }

  /** Appends an entry ({@code deviceId} is written as a u32: its low 32 bits). */
  public DeviceListBytes entry(long deviceId, long createdAt) {
    entries.add(new long[] {deviceId, createdAt});
    return this;
  }

  public DeviceListBytes clearEntries() {
    entries.clear();
    return this;
  }

  public DeviceListBytes trailing(byte[] value) {
    trailing = value.clone();
    return this;
  }

  public List<long[]> entries() {
    return entries.stream().map(long[]::clone).toList();
  }

  public byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Bytes.ascii(label));
    out.write(usernameLength != null ? usernameLength : username.length);
    out.writeBytes(username);
    out.writeBytes(identityKey);
    out.writeBytes(ByteBuffer.allocate(8).putLong(serial).array());
    out.writeBytes(ByteBuffer.allocate(8).putLong(issuedAt).array());
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) lastDeviceId).array());
    out.write(count != null ? count : entries.size());
    for (long[] entry : entries) {
      out.writeBytes(ByteBuffer.allocate(12).putInt((int) entry[0]).putLong(entry[1]).array());
    }
    out.writeBytes(trailing);
    return out.toByteArray();
  }

  /** {@code build()} cut to {@code length} bytes. */
  public byte[] buildTruncated(int length) {
    return Arrays.copyOf(build(), length);
  }
}
