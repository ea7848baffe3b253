package com.securecom.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

/**
 * Login failures: statuses, headers and problem bodies (docs/protocol.md, REST). A bad bearer token
 * is answered by the web package's NotAuthenticatedMapper.
 */
class SessionMappersTest {
  @Test
  void badLogin_answers401InvalidCredentials_withoutAChallenge() {
    Response response =
        new InvalidCredentialsMapper().toResponse(new InvalidCredentialsException(false));

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Unauthorized",
                401,
                "invalid_credentials",
                "invalid username or password",
                null));
    assertThat(response.getHeaderString("WWW-Authenticate")).isNull();
  }

  @Test
  void removedDevice_answers403DeviceRemoved() {
    Response response = new DeviceRemovedMapper().toResponse(new DeviceRemovedException());

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Forbidden",
                403,
                "device_removed",
                "this device is not one of the account's devices",
                null));
  }

  @Test
  void everyMapper_isAProviderTheWarScanFinds() {
    assertThat(DeviceRemovedMapper.class).hasAnnotation(Provider.class);
    assertThat(InvalidCredentialsMapper.class).hasAnnotation(Provider.class);
  }
}
