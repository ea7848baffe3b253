package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import org.junit.jupiter.api.Test;

/** Issue 10, findings 7 and 9: the filters in front of every request. */
class ServletFiltersTest {
  private static FakeHttp run(HttpFilter filter, String uri, boolean secure) throws Exception {
    FakeHttp http = new FakeHttp();
    FilterChain chain = (request, response) -> http.passedOn = true;
    filter.doFilter(FakeHttp.request(uri, secure), http.response(), chain);
    return http;
  }

  @Test
  void testPages_areNotServed_unlessConfigured() throws Exception {
    TestPagesFilter off = new TestPagesFilter();
    FakeHttp refused = run(off, "/tests/vectors.html", false);
    assertThat(refused.passedOn).isFalse();
    assertThat(refused.status).isEqualTo(404);
    assertThat(refused.bodyText()).contains("\"code\":\"http_404\"");

    TestPagesFilter on = new TestPagesFilter();
    on.enabled = true;
    assertThat(run(on, "/tests/vectors.html", false).passedOn).isTrue();
  }

  @Test
  void hsts_isSentOverHttpsOnly() throws Exception {
    FakeHttp secure = run(new SecurityHeadersFilter(), "/api/server-key", true);
    FakeHttp plain = run(new SecurityHeadersFilter(), "/api/server-key", false);

    assertThat(secure.headers).containsEntry("Strict-Transport-Security", "max-age=31536000");
    assertThat(plain.headers).doesNotContainKey("Strict-Transport-Security");
    assertThat(secure.passedOn).isTrue();
  }

  @Test
  void pathGuard_answers400ProblemBody_andStopsTheRequest() throws Exception {
    FakeHttp refused = run(new PathGuardFilter(), "/api/keys/x/..", false);
    assertThat(refused.passedOn).isFalse();
    assertThat(refused.status).isEqualTo(400);
    assertThat(refused.headers).containsEntry("Content-Type", "application/problem+json");
    assertThat(refused.bodyText()).startsWith("{").contains("\"code\":\"invalid_path\"");
    assertThat(run(new PathGuardFilter(), "/api/keys/alice", false).passedOn).isTrue();
  }
}
