package com.securecom.protocol.crypto;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The Wycheproof vector files copied under {@code /wycheproof} (source and licence in the README
 * there), read as a flat list of test cases, each with the group that holds its shared parameters.
 */
public final class Wycheproof {
  private Wycheproof() {}

  /** Every test case of {@code /wycheproof/<file>}, in file order. */
  public static List<Case> cases(String file) {
    JsonObject json = VectorFiles.load("/wycheproof/" + file);
    List<Case> cases =
        json.getJsonArray("testGroups").getValuesAs(JsonObject.class).stream()
            .flatMap(
                group ->
                    group.getJsonArray("tests").getValuesAs(JsonObject.class).stream()
                        .map(test -> new Case(group, test)))
            .toList();
    if (cases.size() != json.getInt("numberOfTests")) {
      throw new IllegalStateException(
          file + " holds " + cases.size() + " tests but declares " + json.getInt("numberOfTests"));
    }
    return cases;
  }

  /** {@code cases} as (name, case) arguments for a parameterized test. */
  public static Stream<Arguments> arguments(Stream<Case> cases) {
    return cases.map(c -> Arguments.of(c.toString(), c));
  }

  /**
   * One test case: its {@code tcId}, {@code result} ("valid", "invalid" or "acceptable"), flags and
   * fields.
   */
  public record Case(JsonObject group, JsonObject test) {
    public int id() {
      return test.getInt("tcId");
    }

    public String result() {
      return test.getString("result");
    }

    public boolean isValid() {
      return result().equals("valid");
    }

    public boolean hasFlag(String flag) {
      return test.getJsonArray("flags").getValuesAs(JsonString.class).stream()
          .anyMatch(f -> f.getString().equals(flag));
    }

    /** A hex field of the test case, decoded. */
    public byte[] bytes(String field) {
      return HexFormat.of().parseHex(test.getString(field));
    }

    /** An integer parameter of the group, such as {@code keySize} (in bits). */
    public int groupInt(String field) {
      return group.getInt(field);
    }

    @Override
    public String toString() {
      return "tcId "
          + id()
          + " "
          + result()
          + " "
          + test.getJsonArray("flags")
          + " "
          + test.getString("comment");
    }
  }
}
