package com.securecom.client.store;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What a new profile passphrase must be. A profile can be copied and attacked offline, where
 * nothing limits the guessing rate but Argon2id, so the bar is the one for that attack:
 *
 * <ul>
 *   <li>at least {@value #MIN_LENGTH} characters (Unicode code points): NIST SP 800-63B-4's minimum
 *       for a password that is the only factor;
 *   <li>a zxcvbn (zxcvbn4j) score of {@value #MIN_SCORE} of 4: an estimated 10^10 guesses or more,
 *       the level zxcvbn describes as strong protection against an offline slow-hash attack. The
 *       username, the server's host and "securecom" count as known to the attacker.
 * </ul>
 *
 * <p>The estimator reads the caller's array through a read-only view, which it leaves as it was;
 * its own copies are wiped afterwards (best effort: it may leave lowercased copies to the garbage
 * collector).
 */
public final class PassphrasePolicy {
  public static final int MIN_LENGTH = 15;
  public static final int MIN_SCORE = 4;
  private static final String ADVICE = "four or more random words work well";

  private PassphrasePolicy() {}

  /**
   * Refuses {@code passphrase} unless it meets the policy.
   *
   * @param knownWords words an attacker would try first (the username, the server's host)
   * @throws WeakPassphraseException saying why, and what to choose instead
   */
  public static void check(char[] passphrase, Collection<String> knownWords) {
    int length = Character.codePointCount(passphrase, 0, passphrase.length);
    if (length == 0) {
      throw new WeakPassphraseException(
          "the passphrase is empty; choose one of at least "
              + MIN_LENGTH
              + " characters ("
              + ADVICE
              + ")");
    }
    if (length < MIN_LENGTH) {
      throw new WeakPassphraseException(
          "passphrase too short ("
              + length
              + " characters): use at least "
              + MIN_LENGTH
              + "; "
              + ADVICE);
    }
    Strength strength = Estimator.measure(passphrase, knownWords);
    try {
      if (strength.getScore() < MIN_SCORE) {
        throw new WeakPassphraseException(weakness(strength));
      }
    } finally {
      strength.wipe();
    }
  }

  private static String weakness(Strength strength) {
    StringBuilder message = new StringBuilder("passphrase too weak: ");
    String warning = strength.getFeedback().getWarning(Locale.ENGLISH);
    if (warning != null && !warning.isEmpty()) {
      message.append(warning).append(' ');
    }
    message.append(
        String.format(
            Locale.ROOT,
            "About 10^%d guesses would find it, and anyone with a copy of the"
                + " profile can try them offline; at least 10^10 are needed.",
            (int) Math.floor(strength.getGuessesLog10())));
    for (String suggestion : strength.getFeedback().getSuggestions(Locale.ENGLISH)) {
      message.append(' ').append(suggestion);
    }
    return message
        .append(" Use a longer, less predictable passphrase: ")
        .append(ADVICE)
        .append('.')
        .toString();
  }

  /** One zxcvbn for the process: it loads its dictionaries once (about 0.15 s). */
  private static final class Estimator {
    private static final Zxcvbn ZXCVBN = new Zxcvbn();

    static synchronized Strength measure(char[] passphrase, Collection<String> knownWords) {
      List<String> words = new ArrayList<>(List.of("securecom"));
      for (String word : knownWords) {
        words.add(word.toLowerCase(Locale.ROOT));
      }
      // Read-only: Strength.wipe() blanks a writable CharBuffer, which would blank the caller's
      // passphrase.
      return ZXCVBN.measure(CharBuffer.wrap(passphrase).asReadOnlyBuffer(), words);
    }
  }
}
