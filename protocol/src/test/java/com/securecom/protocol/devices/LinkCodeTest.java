package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Link codes as people type them, and as an attacker or a typo bends them. */
class LinkCodeTest {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private final SecureRandom random = new SecureRandom();

  private LinkCode fresh(long expiresAt) {
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    return new LinkCode(X25519.generate(random).publicKey(), secret, expiresAt);
  }

  @Test
  void aFreshCode_readsBackFromItsTextAndQrForms() throws Exception {
    for (int i = 0; i < 200; i++) {
      LinkCode code = fresh(1_800_000_000L + i);
      assertThat(code.text())
          .hasSize(95)
          .matches("([0-9A-HJKMNP-TV-Z]{5}-){15}[0-9A-HJKMNP-TV-Z]{5}");
      assertThat(LinkCode.read(code.text()).toBytes()).isEqualTo(code.toBytes());
      assertThat(LinkCode.read(code.qrText()).toBytes()).isEqualTo(code.toBytes());
      assertThat(LinkCode.read(code.qrText()).mailbox()).isEqualTo(code.mailbox()).hasSize(32);
    }
  }

  @Test
  void everySingleCharacterTypo_isCaughtBeforeAnythingIsSent() {
    // a fixed code, so that the 2^-24 chance of a typo passing the checksum is settled once
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) 7);
    LinkCode code = new LinkCode(X25519.publicKey(seed), new byte[LinkCode.SECRET_BYTES], 1);
    String plain = code.qrText().substring(LinkCode.QR_PREFIX.length());
    int typos = 0;
    for (int at = 0; at < plain.length(); at++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == plain.charAt(at)) {
          continue;
        }
        String typo = plain.substring(0, at) + c + plain.substring(at + 1);
        assertThatThrownBy(() -> LinkCode.read(typo))
            .as("a typo at %d", at)
            .isInstanceOf(LinkCodeException.class);
        typos++;
      }
    }
    assertThat(typos).isEqualTo(80 * 31);
  }

  @Test
  void aCodeIsTakenUntilTwoMinutesAfterItsMailboxExpires() {
    LinkCode code = fresh(1_800_000_000L);
    assertThat(code.isExpired(Instant.ofEpochSecond(1_800_000_120L))).isFalse();
    assertThat(code.isExpired(Instant.ofEpochSecond(1_800_000_121L))).isTrue();
  }

  @Test
  void hugeOrEmptyInput_isUnreadable_withoutWork() {
    assertThatThrownBy(() -> LinkCode.read("0".repeat(1_000_000)))
        .isInstanceOfSatisfying(
            LinkCodeException.class,
            e -> assertThat(e.reason()).isEqualTo(LinkCodeException.Reason.UNREADABLE));
    assertThatThrownBy(() -> LinkCode.read(null)).isInstanceOf(LinkCodeException.class);
    assertThatThrownBy(() -> LinkCode.read("SECURECOM:")).isInstanceOf(LinkCodeException.class);
  }
}
