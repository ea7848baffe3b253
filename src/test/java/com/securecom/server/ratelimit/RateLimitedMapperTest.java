package com.securecom.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 429 with {@code Retry-After} in whole seconds, rounded up, at least 1. */
class RateLimitedMapperTest {
  @Test
  void rateLimited_answers429_withRetryAfterRoundedUpToWholeSeconds() {
    Response response =
        new RateLimitedMapper().toResponse(new RateLimitedException(Duration.ofMillis(2_001)));

    assertThat(response.getStatus()).isEqualTo(429);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Too Many Requests",
                429,
                "rate_limited",
                "too many attempts; try again later",
                null));
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("3");
    assertThat(RateLimitedMapper.class).hasAnnotation(Provider.class);
  }

  @Test
  void aWaitUnderOneSecond_isAnsweredAsOneSecond() {
    Response response = new RateLimitedMapper().toResponse(new RateLimitedException(Duration.ZERO));

    assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
  }
}
