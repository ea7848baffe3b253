package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(new DatabaseSettings(DatabaseSettings.DEFAULT_URL, "sa", "", 4).driverClassName())
        .isEqualTo("org.h2.Driver");
    assertThat(new DatabaseSettings("jdbc:postgresql://h/db", "u", "p", 4).driverClassName())
        .isEqualTo("org.postgresql.Driver");
  }
}
