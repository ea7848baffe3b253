package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 10, finding 7: encoded slashes, dot segments and malformed escapes reached routing. */
class PathGuardFilterTest {
  @Test
  void ordinaryPaths_pass() {
    for (String path :
        new String[] {
          "/",
          "/api/keys/alice",
          "/api/keys/al%20ice/identity",
          "/js/app.js",
          "/api/keys/a.b_c-d",
          "/.well-known/x",
          "/api/keys/..a"
        }) {
      assertThat(PathGuardFilter.isPlain(path)).as(path).isTrue();
    }
  }

  @Test
  void encodedSeparatorsDotSegmentsAndMalformedEscapes_areRefused() {
    for (String path :
        new String[] {
          "/api/keys/..%2f..%2fmetrics",
          "/api/keys/x%2Fy",
          "/api/keys/%2e%2e/x",
          "/api/keys/x%5cy",
          "/api/keys/x/..",
          "/api/keys/../metrics",
          "/api/./keys",
          "/api/keys/x/.",
          "/api/keys/%u0041",
          "/api/keys/x%",
          "/api/keys/x%4",
          "/api/keys/x%zz",
          "/api/keys/x;jsessionid=1",
          "/api/..;/metrics",
          "/api/keys/x%00",
          "/api\\keys",
          "/api/keys/x%25"
        }) {
      assertThat(PathGuardFilter.isPlain(path)).as(path).isFalse();
    }
  }
}
