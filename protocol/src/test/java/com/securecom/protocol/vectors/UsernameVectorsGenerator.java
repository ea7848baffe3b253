package com.securecom.protocol.vectors;

import com.securecom.protocol.Usernames;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code vectors/usernames.json}: names every implementation must accept as usernames
 * ({@code valid[]}) and names it must refuse ({@code invalid[]}), each with a {@code name} saying
 * what it tests. The cases are written here from the documented rule (3-32 characters of {@code a-z
 * 0-9 . _ -}), not derived from the Java code; the generator refuses to write if {@link Usernames}
 * disagrees with one of them.
 *
 * <p>Run from the repository root: {@code java -cp ...
 * com.securecom.protocol.vectors.UsernameVectorsGenerator [dir]}.
 */
public final class UsernameVectorsGenerator {
  private UsernameVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("usernames.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  private static final List<String[]> VALID =
      List.of(
          new String[] {"letters", "alice"},
          new String[] {"3 characters, the shortest", "bob"},
          new String[] {"32 characters, the longest", "a".repeat(32)},
          new String[] {"digits only", "007"},
          new String[] {"dot, underscore and hyphen inside", "a.b_c-d"},
          new String[] {"starts and ends with punctuation", "-a_."},
          new String[] {"punctuation only", "..."},
          new String[] {"every allowed character class", "az09._-"});

  private static final List<String[]> INVALID =
      List.of(
          new String[] {"empty", ""},
          new String[] {"2 characters", "ab"},
          new String[] {"33 characters", "a".repeat(33)},
          new String[] {"upper case", "Alice"},
          new String[] {"space", "al ice"},
          new String[] {"slash", "a/b"},
          new String[] {"backslash", "a\\b"},
          new String[] {"plus", "a+b"},
          new String[] {"at sign", "a@b"},
          new String[] {"colon", "a:b"},
          new String[] {"trailing newline", "alice\n"},
          new String[] {"leading newline", "\nalice"},
          new String[] {"NUL inside", "ali\u0000ce"},
          new String[] {"tab inside", "ali\tce"},
          new String[] {"non-ASCII letter", "alic\u00e9"},
          new String[] {"dotless i (lower-cases from nothing, upper-cases to I)", "al\u0131ce"},
          new String[] {"Kelvin sign (folds to k)", "\u212aate"},
          new String[] {"full-width letters", "\uff41\uff4c\uff49\uff43\uff45"},
          new String[] {"emoji (a surrogate pair)", "ab\ud83d\ude00"},
          new String[] {"32 characters and a non-ASCII one", "a".repeat(32) + "\u00e9"});

  public static JsonObject build() {
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom usernames: "
                + Usernames.RULE
                + ". Every implementation must accept each"
                + " valid[].username and refuse each invalid[].username. See docs/protocol.md.")
        .add("generator", UsernameVectorsGenerator.class.getName())
        .add("valid", cases(VALID, true))
        .add("invalid", cases(INVALID, false))
        .build();
  }

  private static JsonArrayBuilder cases(List<String[]> cases, boolean valid) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (String[] c : cases) {
      if (Usernames.isValid(c[1]) != valid) {
        throw new IllegalStateException("Usernames disagrees with the vector \"" + c[0] + "\"");
      }
      array.add(Json.createObjectBuilder().add("name", c[0]).add("username", c[1]));
    }
    return array;
  }
}
