package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

/** The one answer to a protected call without a valid bearer token (docs/protocol.md, REST). */
class NotAuthenticatedMapperTest {
  @Test
  void missingToken_answers401Unauthorized_withABearerChallenge() {
    Response response = new NotAuthenticatedMapper().toResponse(new NotAuthenticatedException());

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Unauthorized",
                401,
                "unauthorized",
                "a valid bearer token is required",
                null));
    assertThat(response.getHeaderString("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"securecom\"");
  }

  @Test
  void theMapper_isAProviderTheWarScanFinds() {
    assertThat(NotAuthenticatedMapper.class).hasAnnotation(Provider.class);
  }
}
