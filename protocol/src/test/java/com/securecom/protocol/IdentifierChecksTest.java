package com.securecom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.WireMessage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of message ids and usernames answer exactly as their documented patterns
 * ({@link WireMessage#ID}, {@link Usernames#PATTERN}), for random strings of characters in, near
 * and outside both alphabets, at and around the length limits. Seeded.
 */
class IdentifierChecksTest {
  private static final String NEAR = "azAZ09_-.@/:`{[ \u00e9\u0130\u212a\u0000";

  @Test
  void isId_answersAsThePattern() {
    Random random = new Random(5);
    for (int n = 0; n < 100_000; n++) {
      String s = randomString(random, 70);
      assertThat(WireMessage.isId(s)).as("'%s'", s).isEqualTo(WireMessage.ID.matcher(s).matches());
    }
  }

  @Test
  void usernamesIsValid_answersAsThePattern() {
    Random random = new Random(6);
    for (int n = 0; n < 100_000; n++) {
      String s = randomString(random, 36);
      assertThat(Usernames.isValid(s))
          .as("'%s'", s)
          .isEqualTo(Usernames.PATTERN.matcher(s).matches());
    }
    assertThat(Usernames.isValid(null)).isFalse();
  }

  @Test
  void atAndAroundTheLengthLimits_bothAnswerAsTheirPatterns() {
    for (int length = 0; length <= 66; length++) {
      String s = "a".repeat(length);
      assertThat(WireMessage.isId(s))
          .as("%d", length)
          .isEqualTo(WireMessage.ID.matcher(s).matches());
      assertThat(Usernames.isValid(s))
          .as("%d", length)
          .isEqualTo(Usernames.PATTERN.matcher(s).matches());
    }
  }

  private static String randomString(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      s.append(
          random.nextInt(3) == 0
              ? NEAR.charAt(random.nextInt(NEAR.length()))
              : (char) ('-' + random.nextInt('z' - '-' + 1)));
    }
    return s.toString();
  }
}
