package com.securecom.client.e2e;

import static com.securecom.client.e2e.Pair.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.DecryptionFailedException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every bit of an envelope (version, type, prekey header, ratchet header, ciphertext, tag) and of
 * the associated data (both names, all four identity keys) is authenticated; a rejected message
 * never changes the session.
 */
class SessionTamperTest {
  private static final int PREKEY_HEADER_END = 2 + PreKeyHeader.BYTES;
  private static final int RATCHET_HEADER_END = PREKEY_HEADER_END + MessageHeader.BYTES;

  private final Pair p;

  SessionTamperTest() throws Exception {
    p = new Pair();
  }

  @Test
  void everyBitOfANormalMessage_isAuthenticated_andTheSessionSurvives() throws Exception {
    p.alice.decrypt(
        p.bob.encrypt(utf8("turn"))); // Alice's next message opens a new chain: counter 0
    byte[] message = p.alice.encrypt(utf8("tamper with me"));
    assertThat(message[1]).isEqualTo(Envelope.TYPE_NORMAL);
    byte[] before = p.bob.toBytes();

    for (int bit = 0; bit < message.length * 8; bit++) {
      byte[] tampered = Bits.flip(message, bit);
      assertThatThrownBy(() -> p.bob.decrypt(tampered))
          .as("bit %d", bit)
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
    for (int length = 0; length < message.length; length++) {
      byte[] truncated = Arrays.copyOf(message, length);
      assertThatThrownBy(() -> p.bob.decrypt(truncated))
          .isInstanceOf(DecryptionFailedException.class);
    }
    assertThatThrownBy(() -> p.bob.decrypt(Arrays.copyOf(message, message.length + 1)))
        .isInstanceOf(DecryptionFailedException.class);

    assertThat(p.bob.toBytes()).isEqualTo(before);
    assertThat(p.bob.decrypt(message)).isEqualTo(utf8("tamper with me"));
    assertThat(p.alice.decrypt(p.bob.encrypt(utf8("still fine")))).isEqualTo(utf8("still fine"));
  }

  @Test
  void everyBitOfAFirstPreKeyMessage_isAuthenticated_andNoPreKeyIsBurnt() throws Exception {
    TestUser alice = new TestUser("alice", p.random);
    TestUser bob = new TestUser("bob", p.random);
    Session a = Session.initiate(alice.identity, "alice", bob.bundle(true), p.random);
    byte[] message = a.encrypt(utf8("hello"));

    for (int bit = 0; bit < message.length * 8; bit++) {
      byte[] tampered = Bits.flip(message, bit);
      assertThatThrownBy(
              () ->
                  Session.accept(
                      bob.identity, "bob", alice.publicIdentity(), tampered, bob.preKeys, p.random))
          .as("bit %d", bit)
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
    assertThat(bob.preKeys.oneTime).hasSize(1);

    Session b =
        Session.accept(bob.identity, "bob", alice.publicIdentity(), message, bob.preKeys, p.random)
            .session();
    assertThat(a.decrypt(b.encrypt(utf8("hi")))).isEqualTo(utf8("hi"));
  }

  @Test
  void everyBitOfALaterPreKeyMessage_isAuthenticated() throws Exception {
    byte[] second = p.alice.encrypt(utf8("second"));
    byte[] before = p.bob.toBytes();

    for (int bit = 0; bit < second.length * 8; bit++) {
      byte[] tampered = Bits.flip(second, bit);
      int at = bit / 8;
      if (at >= PREKEY_HEADER_END + 36 && at < RATCHET_HEADER_END) {
        // The counter: lowered to an already used one, this is (by design, from the header alone) a
        // duplicate.
        assertThatThrownBy(() -> p.bob.decrypt(tampered))
            .as("bit %d", bit)
            .isInstanceOfAny(DecryptionFailedException.class, DuplicateMessageException.class);
      } else {
        assertThatThrownBy(() -> p.bob.decrypt(tampered))
            .as("bit %d", bit)
            .isInstanceOf(DecryptionFailedException.class);
      }
    }
    assertThat(p.bob.toBytes()).isEqualTo(before);
    assertThat(p.bob.decrypt(second)).isEqualTo(utf8("second"));
  }

  @Test
  void counterLoweredToAUsedKey_isADuplicate_andChangesNothing() throws Exception {
    byte[] second = p.alice.encrypt(utf8("second")); // counter 1; counter 0 ("first") is used
    byte[] lowered = Bits.flip(second, (RATCHET_HEADER_END - 1) * 8);
    byte[] before = p.bob.toBytes();
    assertThatThrownBy(() -> p.bob.decrypt(lowered)).isInstanceOf(DuplicateMessageException.class);
    assertThat(p.bob.toBytes()).isEqualTo(before);
  }

  @Test
  void associatedData_bindsBothNamesAndAllFourIdentityKeys() throws Exception {
    byte[] message = p.alice.encrypt(utf8("bound to who we are"));
    byte[] aliceIk = p.aliceUser.identity.identityKey();
    byte[] aliceIkDh = p.aliceUser.identity.identityDhKey();
    byte[] bobIk = p.bobUser.identity.identityKey();
    byte[] bobIkDh = p.bobUser.identity.identityDhKey();

    for (int bit = 0; bit < 256; bit++) {
      List<Session> wrong =
          List.of(
              Pair.withIdentities(
                  p.bob, "bob", bobIk, bobIkDh, "alice", Bits.flip(aliceIk, bit), aliceIkDh),
              Pair.withIdentities(
                  p.bob, "bob", bobIk, bobIkDh, "alice", aliceIk, Bits.flip(aliceIkDh, bit)),
              Pair.withIdentities(
                  p.bob, "bob", Bits.flip(bobIk, bit), bobIkDh, "alice", aliceIk, aliceIkDh),
              Pair.withIdentities(
                  p.bob, "bob", bobIk, Bits.flip(bobIkDh, bit), "alice", aliceIk, aliceIkDh));
      for (Session session : wrong) {
        assertThatThrownBy(() -> session.decrypt(message))
            .isInstanceOf(DecryptionFailedException.class);
      }
    }
    for (String name : List.of("alicf", "Alice", "alice ", "alic", "mallory", "bob")) {
      Session session = Pair.withIdentities(p.bob, "bob", bobIk, bobIkDh, name, aliceIk, aliceIkDh);
      assertThatThrownBy(() -> session.decrypt(message))
          .as(name)
          .isInstanceOf(DecryptionFailedException.class);
    }
    for (String name : List.of("bobby", "Bob", "bo", "alice")) {
      Session session =
          Pair.withIdentities(p.bob, name, bobIk, bobIkDh, "alice", aliceIk, aliceIkDh);
      assertThatThrownBy(() -> session.decrypt(message))
          .as(name)
          .isInstanceOf(DecryptionFailedException.class);
    }
    // The unmodified copy decrypts: the failures above are the associated data's doing.
    assertThat(
            Pair.withIdentities(p.bob, "bob", bobIk, bobIkDh, "alice", aliceIk, aliceIkDh)
                .decrypt(message))
        .isEqualTo(utf8("bound to who we are"));
    assertThat(p.bob.decrypt(message)).isEqualTo(utf8("bound to who we are"));
  }

  @Test
  void randomMutations_failCleanly() throws Exception {
    List<byte[]> genuine = List.of(p.first, p.alice.encrypt(utf8("pre")), Bits.flip(p.first, 0));
    p.alice.decrypt(p.bob.encrypt(utf8("turn")));
    List<byte[]> all = List.of(genuine.get(0), genuine.get(1), p.alice.encrypt(utf8("normal")));
    byte[] before = p.bob.toBytes();
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      byte[] base = all.get(random.nextInt(all.size()));
      byte[] mutated =
          switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(base, random.nextInt(base.length + 40));
            case 1 -> {
              byte[] copy = base.clone();
              for (int k = 0; k <= random.nextInt(4); k++) {
                copy[random.nextInt(copy.length)] = (byte) random.nextInt();
              }
              yield copy;
            }
            case 2 -> {
              byte[] copy = new byte[random.nextInt(300)];
              random.nextBytes(copy);
              yield copy;
            }
            default -> {
              byte[] copy = base.clone();
              System.arraycopy(new byte[] {1, (byte) (1 + random.nextInt(2))}, 0, copy, 0, 2);
              copy[2 + random.nextInt(copy.length - 2)] ^= (byte) (1 + random.nextInt(255));
              yield copy;
            }
          };
      if (Arrays.equals(mutated, base)) {
        continue;
      }
      assertThatThrownBy(() -> p.bob.decrypt(mutated))
          .isInstanceOfAny(DecryptionFailedException.class, DuplicateMessageException.class);
    }
    assertThat(p.bob.toBytes()).isEqualTo(before);
  }
}
