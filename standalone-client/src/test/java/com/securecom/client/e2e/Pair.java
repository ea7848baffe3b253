package com.securecom.client.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Alice and Bob with a fresh session: Alice initiated and sent "first", Bob accepted it. */
final class Pair {
  final SecureRandom random = new SecureRandom();
  final TestUser aliceUser = new TestUser("alice", random);
  final TestUser bobUser = new TestUser("bob", random);
  final Session alice;
  final Session bob;
  final byte[] first;

  Pair() throws Exception {
    alice = Session.initiate(aliceUser.identity, "alice", bobUser.bundle(true), random);
    first = alice.encrypt(utf8("first"));
    bob =
        Session.accept(
                bobUser.identity, "bob", aliceUser.publicIdentity(), first, bobUser.preKeys, random)
            .session();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The state of a session with other names or identity keys, and the same ratchet state. */
  static Session withIdentities(
      Session session,
      String localName,
      byte[] localIk,
      byte[] localIkDh,
      String peerName,
      byte[] peerIk,
      byte[] peerIkDh) {
    SessionState s = session.state();
    SessionState c =
        new SessionState(
            s.role, localName, localIk, localIkDh, peerName, peerIk, peerIkDh, s.preKeyHeader);
    c.awaitingReply = s.awaitingReply;
    c.rootKey = s.rootKey;
    c.sendingRatchet = s.sendingRatchet;
    c.receivingRatchetKey = s.receivingRatchetKey;
    c.sendingChainKey = s.sendingChainKey;
    c.receivingChainKey = s.receivingChainKey;
    c.sendCounter = s.sendCounter;
    c.receiveCounter = s.receiveCounter;
    c.previousSendCounter = s.previousSendCounter;
    c.skipped.putAll(s.skipped);
    c.previousChains.addAll(s.previousChains);
    return new Session(c, KeySource.from(new SecureRandom()));
  }
}
