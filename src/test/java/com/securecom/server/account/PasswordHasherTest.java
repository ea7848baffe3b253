package com.securecom.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
  private static final String PASSWORD = "correct horse battery staple";

  /** Cheap parameters keep these tests fast; one test below uses the real OWASP ones. */
  private static final Argon2Parameters CHEAP = new Argon2Parameters(1024, 1, 1);

  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  /**
   * A well-formed salt and hash (22 and 43 base64 characters) for building malformed strings
   * around.
   */
  private static final String SALT = "c29tZXNhbHRzb21lc2FsdA";

  private static final String HASH = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

  private final PasswordHasher hasher = hasher(CHEAP);

  private static PasswordHasher hasher(Argon2Parameters parameters) {
    return new PasswordHasher(parameters, 2, new SecureRandom());
  }

  @Test
  void hashedPassword_verifies() {
    String hash = hasher.hash(PASSWORD);

    assertThat(hasher.verify(PASSWORD, hash)).isTrue();
  }

  @Test
  void wrongPassword_doesNotVerify() {
    String hash = hasher.hash(PASSWORD);

    assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
    assertThat(hasher.verify("", hash)).isFalse();
  }

  @Test
  void twoHashesOfOnePassword_differByTheirRandomSalt() {
    String first = hasher.hash(PASSWORD);
    String second = hasher.hash(PASSWORD);

    assertThat(first).isNotEqualTo(second);
    assertThat(salt(first)).isNotEqualTo(salt(second));
    assertThat(hasher.verify(PASSWORD, first)).isTrue();
    assertThat(hasher.verify(PASSWORD, second)).isTrue();
  }

  @Test
  void owaspHash_isAPhcStringWithItsParametersA16ByteSaltAndA32ByteHash() {
    PasswordHasher owasp = hasher(Argon2Parameters.OWASP_MINIMUM);

    String hash = owasp.hash(PASSWORD);

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    Matcher phc = PHC.matcher(hash);
    assertThat(phc.matches()).as(hash).isTrue();
    assertThat(phc.group(4)).hasSize(22);
    assertThat(Base64.getDecoder().decode(phc.group(4))).hasSize(16);
    assertThat(phc.group(5)).hasSize(43);
    assertThat(Base64.getDecoder().decode(phc.group(5))).hasSize(32);
    assertThat(owasp.verify(PASSWORD, hash)).isTrue();
    assertThat(owasp.verify("wrong", hash)).isFalse();
    assertThat(owasp.needsRehash(hash)).isFalse();
  }

  @Test
  void verify_usesTheParametersStoredInTheHash_notTheCurrentOnes() {
    String madeWithOtherParameters = hasher(new Argon2Parameters(2048, 2, 1)).hash(PASSWORD);

    assertThat(hasher.verify(PASSWORD, madeWithOtherParameters)).isTrue();
    assertThat(hasher.verify("wrong", madeWithOtherParameters)).isFalse();
  }

  @Test
  void tamperedHash_doesNotVerify() {
    String hash = hasher.hash(PASSWORD);
    String otherSalt = hash.replace(salt(hash), SALT);
    // A character in the middle: the last one also carries two padding bits that decoding ignores.
    int middle = hash.length() - 20;
    String otherHash =
        hash.substring(0, middle)
            + (hash.charAt(middle) == 'A' ? 'B' : 'A')
            + hash.substring(middle + 1);

    assertThat(hasher.verify(PASSWORD, otherSalt)).isFalse();
    assertThat(hasher.verify(PASSWORD, otherHash)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not a hash",
        "$argon2id$",
        "$argon2i$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2d$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=16$m=1024,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=1024,t=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "$",
        "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "A$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH + "A",
        "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "==$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2Fs-A$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH + "\n",
        " $argon2id$v=19$m=1024,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=-1024,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=99999999,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=1,keyid=x$" + SALT + "$" + HASH,
      })
  void malformedHash_neverVerifiesAndNeverThrows(String malformed) {
    assertThat(hasher.verify(PASSWORD, malformed)).isFalse();
  }

  /**
   * Well-formed strings whose parameters Argon2 cannot run with. Today {@code verify} throws {@link
   * IllegalArgumentException} from the {@link Argon2Parameters} constructor instead of answering
   * false.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "$argon2id$v=19$m=0,t=1,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=1024,t=0,p=1$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=1024,t=1,p=0$" + SALT + "$" + HASH,
        "$argon2id$v=19$m=7,t=1,p=1$" + SALT + "$" + HASH,
      })
  void hashWithImpossibleParameters_neverVerifiesAndNeverThrows(String impossible) {
    assertThat(hasher.verify(PASSWORD, impossible)).isFalse();
  }

  @Test
  void hashMadeWithOtherParameters_needsRehash() {
    assertThat(hasher.needsRehash(hasher.hash(PASSWORD))).isFalse();
    assertThat(hasher.needsRehash(hasher(new Argon2Parameters(2048, 1, 1)).hash(PASSWORD)))
        .isTrue();
    assertThat(hasher.needsRehash(hasher(new Argon2Parameters(1024, 2, 1)).hash(PASSWORD)))
        .isTrue();
    assertThat(hasher.needsRehash(hasher(new Argon2Parameters(1024, 1, 2)).hash(PASSWORD)))
        .isTrue();
    assertThat(hasher.needsRehash("$argon2id$v=19$m=10240,t=1,p=1$" + SALT + "$" + HASH))
        .as("m=10240 must not pass for m=1024")
        .isTrue();
    assertThat(hasher.needsRehash("not a hash")).isTrue();
  }

  @Test
  void verifyDummy_runsWithoutThrowing() {
    assertThatCode(() -> hasher.verifyDummy(PASSWORD)).doesNotThrowAnyException();
    assertThatCode(() -> hasher.verifyDummy("")).doesNotThrowAnyException();
  }

  @Test
  void invalidParameters_areRefused() {
    assertThatCode(() -> new Argon2Parameters(7, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> new Argon2Parameters(1024, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> new Argon2Parameters(1024, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String salt(String phcHash) {
    Matcher phc = PHC.matcher(phcHash);
    assertThat(phc.matches()).as(phcHash).isTrue();
    return phc.group(4);
  }
}
