package com.securecom.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

/**
 * The key registry's failures: statuses and problem bodies, as clients rely on them
 * (docs/protocol.md, REST).
 */
class KeyMappersTest {
  @Test
  void unknownUser_answers404UnknownUser() {
    Response response = new UnknownUserMapper().toResponse(new UnknownUserException());

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getMediaType()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem("about:blank", "Not Found", 404, "unknown_user", "no such user", null));
  }

  @Test
  void unknownDevice_answers404UnknownDevice_namingTheDevicesParameter() {
    Response response = new UnknownDeviceMapper().toResponse(new UnknownDeviceException(3));

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Not Found",
                404,
                "unknown_device",
                "the account has no device 3",
                "devices"));
  }

  @Test
  void badSignature_answers400InvalidSignature_namingTheField() {
    InvalidKeySignatureException e = InvalidKeySignatureException.signedPreKey();
    Response response = new InvalidKeySignatureMapper().toResponse(e);

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Bad Request",
                400,
                "invalid_signature",
                e.getMessage(),
                "signedPreKey.signature"));
  }

  @Test
  void reusedPreKeyId_answers409_andAnOverfullPool400() {
    PreKeyPoolException duplicate = PreKeyPoolException.duplicateKeyId().at("preKeys");
    PreKeyPoolException overfull = PreKeyPoolException.overfull(90, 20, 100).at("preKeys");

    Response conflict = new PreKeyPoolMapper().toResponse(duplicate);
    Response full = new PreKeyPoolMapper().toResponse(overfull);

    assertThat(conflict.getStatus()).isEqualTo(409);
    assertThat(conflict.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Conflict",
                409,
                "prekey_conflict",
                duplicate.getMessage(),
                "preKeys"));
    assertThat(full.getStatus()).isEqualTo(400);
    assertThat(full.getEntity())
        .isEqualTo(
            new Problem(
                "about:blank",
                "Bad Request",
                400,
                "prekey_pool_full",
                overfull.getMessage(),
                "preKeys"));
  }

  @Test
  void everyMapper_isAProviderTheWarScanFinds() {
    assertThat(UnknownUserMapper.class).hasAnnotation(Provider.class);
    assertThat(UnknownDeviceMapper.class).hasAnnotation(Provider.class);
    assertThat(InvalidKeySignatureMapper.class).hasAnnotation(Provider.class);
    assertThat(PreKeyPoolMapper.class).hasAnnotation(Provider.class);
  }
}
