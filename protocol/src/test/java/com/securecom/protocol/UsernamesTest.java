package com.securecom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Usernames} gives the answers of {@code /vectors/usernames.json}, which the browser is held
 * to as well.
 */
class UsernamesTest {
  private static Stream<Arguments> cases(String array) {
    return VectorFiles.load("/vectors/usernames.json")
        .getJsonArray(array)
        .getValuesAs(JsonObject.class)
        .stream()
        .map(c -> Arguments.of(c.getString("name"), c.getString("username")));
  }

  static Stream<Arguments> valid() {
    return cases("valid");
  }

  static Stream<Arguments> invalid() {
    return cases("invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validVector_isAccepted(String name, String username) {
    assertThat(Usernames.isValid(username)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidVector_isRefused(String name, String username) {
    assertThat(Usernames.isValid(username)).isFalse();
  }

  @Test
  void null_isRefused() {
    assertThat(Usernames.isValid(null)).isFalse();
  }
}
