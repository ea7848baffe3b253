package com.securecom.server.devicelist;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

class ListConflictMapperTest {
  @Test
  void aListThatCannotFollowTheStoredOne_answers409ListConflict() {
    Response response =
        new ListConflictMapper().toResponse(new ListConflictException("fetch it and build on it"));

    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank", "Conflict", 409, "list_conflict", "fetch it and build on it", null));
    assertThat(ListConflictMapper.class).hasAnnotation(Provider.class);
  }
}
