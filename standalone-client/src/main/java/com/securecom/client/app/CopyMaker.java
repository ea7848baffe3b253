package com.securecom.client.app;

import com.securecom.client.app.IdentityStore.Direction;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.e2e.UntrustedBundleException;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Encrypts payloads for devices of one peer (docs/protocol.md, "Version 4", "Sending to a device
 * set"): one envelope per device, each on the newest session with that device under the pinned
 * identity, each payload naming this device and the recipient device ({@code fromDevice}, {@code
 * toDevice}). A device without such a session gets one from its bundle, which must carry the pinned
 * identity and a signed prekey signed for that very device. Callers hold the vault's lock and save
 * before anything goes out.
 */
final class CopyMaker {
  private final Messaging with;

  CopyMaker(Messaging with) {
    this.with = with;
  }

  /**
   * Starts a session, from the registry's bundles, with each device of {@code devices} that has no
   * session the pin allows sending on.
   *
   * @param legacy true if {@code peer} has no device list (device 1 only): its bundle is then asked
   *     for as before linked devices
   * @throws UntrustedIdentityException if a bundle is not the pinned identity's, or its signed
   *     prekey is stale or not signed for its device
   */
  void startSessions(String token, String peer, List<Integer> devices, boolean legacy) {
    PeerTrust trust = with.trust();
    List<Integer> missing = new ArrayList<>();
    for (int device : devices) {
      if (trust.sendingSession(peer, trust.sessions(peer, device)).isEmpty()) {
        missing.add(device);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<PreKeyBundle> bundles =
        legacy && missing.equals(List.of(DeviceIds.FIRST))
            ? List.of(PreKeyBundle.fromRegistryJson(peer, with.keys().bundle(token, peer)))
            : PreKeyBundle.fromRegistryJson(
                peer, with.keys().bundles(token, peer, missing), missing);
    for (PreKeyBundle bundle : bundles) {
      start(peer, bundle);
    }
  }

  private void start(String peer, PreKeyBundle bundle) {
    if (!with.trust().identities().isTrusted(peer, bundle.identity(), Direction.SENDING)) {
      throw UntrustedIdentityException.notPinned(peer);
    }
    if (!bundle.isFresh(with.clock().instant())) {
      throw UntrustedIdentityException.staleSignedPreKey(peer);
    }
    SessionRecord record = with.trust().sessions(peer, bundle.deviceId());
    long start = System.nanoTime();
    try {
      record.initiate(with.vault().localUser(with.random()), bundle);
    } catch (UntrustedBundleException e) {
      throw UntrustedIdentityException.invalid(peer);
    }
    with.timings().keyExchange = Duration.ofNanos(System.nanoTime() - start);
    with.trust().store(peer, bundle.deviceId(), record);
  }

  /**
   * True if every device of {@code devices} has a session the pin allows sending on and that can
   * send now (see {@link com.securecom.client.e2e.Session#canSend}).
   */
  boolean canSendTo(String peer, List<Integer> devices) {
    PeerTrust trust = with.trust();
    for (int device : devices) {
      if (trust
          .sendingSession(peer, trust.sessions(peer, device))
          .filter(s -> s.canSend())
          .isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The copies of each payload for devices {@code devices} of {@code peer}, in order: element
   * {@code i} holds the copies of {@code payloads.get(i)}, one per device in the order of {@code
   * devices}. Each device's sessions are read and stored once.
   *
   * @param encryptTimes if not null, receives how long each payload took, summed over the devices
   * @throws IllegalStateException if a device has no session to send on ({@link #startSessions})
   */
  List<List<WireMessage.Copy>> encrypt(
      String peer,
      List<Integer> devices,
      List<? extends MessagePayload> payloads,
      long[] encryptTimes) {
    int from = with.vault().data().deviceId;
    List<List<WireMessage.Copy>> copies = new ArrayList<>(payloads.size());
    payloads.forEach(p -> copies.add(new ArrayList<>(devices.size())));
    for (int device : devices) {
      SessionRecord record = with.trust().sessions(peer, device);
      for (int i = 0; i < payloads.size(); i++) {
        long start = System.nanoTime();
        byte[] envelope = with.trust().encrypt(peer, record, payloads.get(i).routed(from, device));
        copies.get(i).add(new WireMessage.Copy(peer, device, Bytes.base64(envelope)));
        if (encryptTimes != null) {
          encryptTimes[i] += System.nanoTime() - start;
        }
      }
      with.trust().store(peer, device, record);
    }
    return copies;
  }
}
