package com.securecom.server.devicelist;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.server.device.Device;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceQueues.Queued;
import com.securecom.server.web.JsonFields;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The JSON shapes of the device list endpoints (docs/protocol.md, REST API). */
final class DeviceListJson {
  /** The longest body a list can have: the longest username and the most entries. */
  static final int MAX_BODY_BYTES =
      DeviceList.LABEL.length() + 1 + 32 + 32 + 8 + 8 + 4 + 1 + 16 * 12;

  /** The shortest: a three-letter username and one entry. */
  static final int MIN_BODY_BYTES = DeviceList.LABEL.length() + 1 + 3 + 32 + 8 + 8 + 4 + 1 + 12;

  private DeviceListJson() {}

  /** {@code {body, signature}}: the signed bytes, canonical base64. */
  public record SignedListBody(String body, String signature) {
    static SignedListBody of(SignedDeviceList list) {
      return new SignedListBody(Bytes.base64(list.body()), Bytes.base64(list.signature()));
    }

    static SignedListBody of(Optional<SignedDeviceList> list) {
      return list.map(SignedListBody::of).orElse(null);
    }
  }

  /** {@code GET /api/devices/{username}}: {@code {username, deviceList?, devices:[ids]}}. */
  public record AccountDevices(String username, SignedListBody deviceList, List<Integer> devices) {
    static AccountDevices of(DeviceLists.Served served) {
      return new AccountDevices(
          served.username(),
          SignedListBody.of(served.list()),
          served.devices().stream().map(Device::deviceId).toList());
    }
  }

  /**
   * One of the caller's own devices: {@code {deviceId, createdAt, lastSeenAt?, queued,
   * queuedBytes}}, times ISO-8601 UTC ({@code lastSeenAt} absent until the device first connects),
   * and what is queued for it (undelivered messages, their envelope bytes).
   */
  public record OwnDevice(
      int deviceId,
      String name,
      String createdAt,
      String lastSeenAt,
      long queued,
      long queuedBytes) {}

  /**
   * {@code GET /api/devices}: {@code {username, deviceList?, maxDevices, devices:[{deviceId, name?,
   * createdAt, lastSeenAt?, queued, queuedBytes}]}}.
   */
  public record OwnDevices(
      String username, SignedListBody deviceList, int maxDevices, List<OwnDevice> devices) {
    static OwnDevices of(
        DeviceLists.Served served, int maxDevices, Function<DeviceAddress, Queued> queued) {
      return new OwnDevices(
          served.username(),
          SignedListBody.of(served.list()),
          maxDevices,
          served.devices().stream()
              .map(
                  d -> {
                    Queued size = queued.apply(new DeviceAddress(served.username(), d.deviceId()));
                    return new OwnDevice(
                        d.deviceId(),
                        d.name(),
                        Instant.ofEpochMilli(d.createdAt()).toString(),
                        d.lastSeenAt() == null
                            ? null
                            : Instant.ofEpochMilli(d.lastSeenAt()).toString(),
                        size.messages(),
                        size.bytes());
                  })
              .toList());
    }
  }

  /** {@code PUT /api/devices/list}'s body: {@code {deviceList:{body, signature}}}. */
  public record ListUpload(SignedListBody deviceList) {}

  /** Reads {@code field} as a signed list: both members canonical base64 of the right sizes. */
  static SignedDeviceList signedList(JsonFields body, String field) {
    JsonFields list = body.object(field);
    return new SignedDeviceList(
        list.base64("body", MIN_BODY_BYTES, MAX_BODY_BYTES), list.base64("signature", 64));
  }
}
