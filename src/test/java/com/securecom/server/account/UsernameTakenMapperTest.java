package com.securecom.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

/**
 * The registration failure's status and problem body, as clients rely on them (docs/protocol.md,
 * REST).
 */
class UsernameTakenMapperTest {
  @Test
  void takenUsername_answers409UsernameTaken_namingTheField() {
    Response response = new UsernameTakenMapper().toResponse(new UsernameTakenException());

    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank", "Conflict", 409, "username_taken", "username is taken", "username"));
    assertThat(UsernameTakenMapper.class).hasAnnotation(Provider.class);
  }
}
