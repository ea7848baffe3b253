package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
  @Test
  void toString_neverShowsThePassword_norUrlParametersThatMayHoldOne() {
    DatabaseSettings settings =
        new DatabaseSettings(
            "jdbc:postgresql://db:5432/securecom?user=app&password=hunter2", "app", "s3cret", 8);
    assertThat(settings.toString())
        .contains("jdbc:postgresql://db:5432/securecom?[REDACTED]")
        .doesNotContain("hunter2")
        .doesNotContain("s3cret");
  }

  @Test
  void driverFollowsTheUrl() {
    assertThat(
            new DatabaseSettings(DatabaseSettings.h2FileUrl(Path.of("data")), "sa", "", 4)
                .driverClassName())
        .isEqualTo("org.h2.Driver");
    assertThat(new DatabaseSettings("jdbc:postgresql://h/db", "u", "p", 4).driverClassName())
        .isEqualTo("org.postgresql.Driver");
  }

  @Test
  void defaultH2File_isInTheDataDirectory_withTheOptionsTheRelayNeeds() {
    assertThat(DatabaseSettings.h2FileUrl(Path.of("/var/lib/securecom")))
        .isEqualTo(
            "jdbc:h2:file:/var/lib/securecom/securecom;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
  }

  @Test
  void dataDirectoryWithASemicolon_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DatabaseSettings.h2FileUrl(Path.of("/srv/a;INIT=RUNSCRIPT")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
