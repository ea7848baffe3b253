package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page's element ids, read from the index.html the WAR serves: each is used once. The views
 * find their elements by id, so a second element with the same id (two views built apart, both with
 * a {@code link-error}) makes one of them write into the other's element, unseen.
 */
class PageIdsTest {
  private static final Path PAGE = Path.of("src", "main", "webapp", "index.html");

  @Test
  void everyElementId_isUsedOnce() throws IOException {
    Matcher ids =
        Pattern.compile("\\sid=\"([^\"]+)\"")
            .matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
    Set<String> seen = new HashSet<>();
    List<String> repeated = new ArrayList<>();
    while (ids.find()) {
      if (!seen.add(ids.group(1))) {
        repeated.add(ids.group(1));
      }
    }

    assertThat(seen).as("the ids of index.html").isNotEmpty();
    assertThat(repeated).as("ids used more than once").isEmpty();
  }
}
