package com.securecom.protocol.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reader faces untrusted text: whatever it is, it returns a well-formed state or throws {@link
 * MalformedGroupException}, never anything else; and what it accepts encodes to a text it reads
 * back to the same state. Seeded, so a failure names an input that reproduces it.
 */
class GroupStateJsonFuzzTest {
  private static final int CASES = 20_000;
  private static final String ALPHABET =
      "{}[]\",:0123456789.-+eE abcdefghijklmnopqrstuvwxyz_\\u\u00e9";
  private static final String SEED =
      GroupStateJson.encode(
          GroupState.create(
                  GroupId.random(new java.security.SecureRandom()),
                  "Climbing",
                  "alice",
                  List.of("bob", "carol.x"))
              .withAdmins(Set.of("bob")));

  private static String mutate(String seed, Random random) {
    StringBuilder text = new StringBuilder(seed);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && !text.isEmpty(); i++) {
      int at = random.nextInt(text.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (random.nextInt(3)) {
        case 0 -> text.setCharAt(at, c);
        case 1 -> text.insert(at, c);
        default -> text.deleteCharAt(at);
      }
    }
    return text.toString();
  }

  @Test
  void anyText_isReadToAStateThatEncodesBack_orRefused() {
    Random random = new Random(20250115);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      String text = mutate(SEED, random);
      try {
        GroupState state = GroupStateJson.decode(text);
        assertThat(GroupStateJson.decode(GroupStateJson.encode(state))).isEqualTo(state);
        accepted++;
      } catch (MalformedGroupException refused) {
        // fine
      } catch (RuntimeException e) {
        fail("input " + text + " threw " + e);
      }
    }
    assertThat(accepted).as("some mutations stay valid").isPositive();
  }
}
