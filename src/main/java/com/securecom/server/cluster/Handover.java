package com.securecom.server.cluster;

import com.securecom.protocol.Usernames;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.StoredMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node hands another, as bytes on the grid (plain bytes, so the grid never has to load
 * application classes). The envelope inside a delivery is the same end-to-end ciphertext the
 * database holds. On the grid these bytes travel sealed by {@link HandoverSeal}.
 */
sealed interface Handover {
  /** A delivery as nodes before per-device queues wrote it: from device 1 to device 1. */
  byte DELIVER_TO_FIRST_DEVICE = 1;

  /** A receipt as nodes before per-device queues wrote it: devices 1. */
  byte RECEIPT_OF_FIRST_DEVICES = 2;

  byte CONNECTED_ELSEWHERE = 3;
  byte REVOKED = 4;
  byte DEVICES_REMOVED = 5;
  byte DELIVER = 6;
  byte RECEIPT = 7;
  byte DEVICE_LINKED = 8;

  /** A token hash is SHA-256. */
  int TOKEN_HASH_BYTES = 32;

  /** A stored message for a device connected to the receiving node. */
  record Deliver(StoredMessage message) implements Handover {}

  /**
   * The device {@code recipient} acknowledged its copy of {@code id}: a receipt for the device
   * {@code sender}, connected to the receiving node.
   */
  record Receipt(DeviceAddress sender, String id, DeviceAddress recipient) implements Handover {}

  /** {@code device} connected to another node; its connection on the receiving node must end. */
  record ConnectedElsewhere(DeviceAddress device) implements Handover {}

  /**
   * These devices of {@code username} were removed from the account: their connections on the
   * receiving node must end (4410).
   */
  record DevicesRemoved(String username, List<Integer> deviceIds) implements Handover {
    public DevicesRemoved {
      if (deviceIds.isEmpty() || deviceIds.size() > MAX_REMOVED) {
        throw new IllegalArgumentException("1 to " + MAX_REMOVED + " devices");
      }
      deviceIds.forEach(id -> new DeviceAddress(username, id)); // each a valid device
      deviceIds = List.copyOf(deviceIds);
    }
  }

  /**
   * A device was linked to {@code username}'s account: the receiving node reads the account's set
   * again and tells its connections.
   */
  record DeviceLinked(String username) implements Handover {
    public DeviceLinked {
      if (!Usernames.isValid(username)) {
        throw new IllegalArgumentException("not a username");
      }
    }
  }

  /** A list has at most 16 entries, so a removal removes at most 15 devices. */
  int MAX_REMOVED = 16;

  /**
   * The session whose token hashes to {@code tokenHash} was logged out: its connection must end
   * (4401).
   */
  record Revoked(byte[] tokenHash) implements Handover {
    public Revoked {
      if (tokenHash.length != TOKEN_HASH_BYTES) {
        throw new IllegalArgumentException("a token hash is " + TOKEN_HASH_BYTES + " bytes");
      }
      tokenHash = tokenHash.clone();
    }

    @Override
    public byte[] tokenHash() {
      return tokenHash.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Revoked r && java.util.Arrays.equals(tokenHash, r.tokenHash);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(tokenHash);
    }

    @Override
    public String toString() {
      return "Revoked[tokenHash=...]";
    }
  }

  static byte[] encode(Handover handover) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (handover instanceof Deliver d) {
        StoredMessage m = d.message();
        out.writeByte(DELIVER);
        out.writeLong(m.seq());
        out.writeUTF(m.sender());
        out.writeInt(m.senderDevice());
        out.writeUTF(m.id());
        out.writeUTF(m.recipient());
        out.writeInt(m.recipientDevice());
        out.writeInt(m.envelope().length);
        out.write(m.envelope());
        out.writeLong(m.sentAt());
        out.writeLong(m.expiresAt());
      } else if (handover instanceof Receipt r) {
        out.writeByte(RECEIPT);
        out.writeUTF(r.sender().username());
        out.writeInt(r.sender().deviceId());
        out.writeUTF(r.id());
        out.writeUTF(r.recipient().username());
        out.writeInt(r.recipient().deviceId());
      } else if (handover instanceof ConnectedElsewhere c) {
        out.writeByte(CONNECTED_ELSEWHERE);
        out.writeUTF(c.device().username());
        out.writeInt(c.device().deviceId());
      } else if (handover instanceof Revoked r) {
        out.writeByte(REVOKED);
        out.write(r.tokenHash);
      } else if (handover instanceof DeviceLinked l) {
        out.writeByte(DEVICE_LINKED);
        out.writeUTF(l.username());
      } else if (handover instanceof DevicesRemoved d) {
        out.writeByte(DEVICES_REMOVED);
        out.writeUTF(d.username());
        out.writeByte(d.deviceIds().size());
        for (int id : d.deviceIds()) {
          out.writeInt(id);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes {@link #encode}'s bytes, and a delivery or receipt of a node of the previous version
   * (before per-device queues: devices 1); an unknown kind (a newer node) is an {@link
   * IllegalArgumentException}.
   */
  static Handover decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte kind = in.readByte();
      switch (kind) {
        case DELIVER, DELIVER_TO_FIRST_DEVICE -> {
          boolean devices = kind == DELIVER;
          long seq = in.readLong();
          String sender = in.readUTF();
          int senderDevice = devices ? in.readInt() : DeviceAddress.FIRST_ID;
          String id = in.readUTF();
          String recipient = in.readUTF();
          int recipientDevice = devices ? in.readInt() : DeviceAddress.FIRST_ID;
          int length = in.readInt();
          if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException(
                "truncated handover"); // never allocate what the bytes cannot hold
          }
          byte[] envelope = new byte[length];
          in.readFully(envelope);
          StoredMessage m =
              new StoredMessage(
                  seq,
                  sender,
                  senderDevice,
                  id,
                  recipient,
                  recipientDevice,
                  envelope,
                  in.readLong(),
                  in.readLong(),
                  null);
          m.from(); // both devices valid, or IllegalArgumentException
          m.to();
          return new Deliver(m);
        }
        case RECEIPT -> {
          DeviceAddress sender = new DeviceAddress(in.readUTF(), in.readInt());
          String id = in.readUTF();
          return new Receipt(sender, id, new DeviceAddress(in.readUTF(), in.readInt()));
        }
        case RECEIPT_OF_FIRST_DEVICES -> {
          DeviceAddress sender = DeviceAddress.first(in.readUTF());
          String id = in.readUTF();
          return new Receipt(sender, id, DeviceAddress.first(in.readUTF()));
        }
        case CONNECTED_ELSEWHERE -> {
          return new ConnectedElsewhere(new DeviceAddress(in.readUTF(), in.readInt()));
        }
        case REVOKED -> {
          byte[] hash = new byte[TOKEN_HASH_BYTES];
          in.readFully(hash);
          return new Revoked(hash);
        }
        case DEVICE_LINKED -> {
          return new DeviceLinked(in.readUTF());
        }
        case DEVICES_REMOVED -> {
          String username = in.readUTF();
          int count = in.readUnsignedByte();
          List<Integer> ids = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            ids.add(in.readInt());
          }
          return new DevicesRemoved(username, ids);
        }
        default -> throw new IllegalArgumentException("unknown handover kind " + kind);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated handover", e);
    }
  }
}
