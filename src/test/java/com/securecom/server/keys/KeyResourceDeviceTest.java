package com.securecom.server.keys;

import static com.securecom.server.device.DeviceAddress.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DevicePrincipal;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.NotAuthenticatedException;
import com.securecom.server.web.NotAuthenticatedMapper;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoints that change and count one's own prekeys act on the device the caller's token
 * belongs to (the request's principal), over the real registry and database.
 */
class KeyResourceDeviceTest {
  private static final DeviceAddress SECOND = new DeviceAddress("alice", 2);

  private InMemoryDatabase db;
  private JpaDeviceRepository devices;
  private KeyRegistry registry;
  private Ed25519.KeyPair identity;

  @BeforeEach
  void aliceWithTwoDevices() {
    db = InMemoryDatabase.open();
    devices = new JpaDeviceRepository(db.database());
    registry =
        new KeyRegistry(
            new JpaKeyRepository(db.database(), devices),
            Clock.systemUTC(),
            new RecordingEvent<>(),
            100,
            0);
    identity = TestKeys.identity();
    db.addAccount("alice");
    db.database()
        .atomically(
            tx ->
                registry.publish(
                    tx,
                    first("alice"),
                    TestKeys.published(identity),
                    TestKeys.signedPreKey(identity, 1),
                    TestKeys.oneTimePreKeys(1, 3)));
    db.addDevice(SECOND);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void uploadsAndCounts_goToTheTokensDevice_andLeaveTheOtherDevicesPoolAlone() {
    KeyResource asSecond = resourceFor(SECOND);

    KeyJson.PreKeyCount afterUpload =
        asSecond.addOneTimePreKeys(json(oneTimePreKeys(TestKeys.oneTimePreKeys(1, 2))));

    assertThat(afterUpload.count()).isEqualTo(2);
    assertThat(asSecond.count().count()).isEqualTo(2);
    assertThat(resourceFor(first("alice")).count().count()).isEqualTo(3);
  }

  @Test
  void aRotatedSignedPreKey_replacesTheTokensDevicesKeyOnly() {
    SignedPreKey rotated = TestKeys.signedPreKeyV3(identity, 2, 9);

    resourceFor(SECOND).rotateSignedPreKey(json(signedPreKey(rotated)));

    assertThat(registry.bundleFor(SECOND, false).signedPreKey().keyId()).isEqualTo(9);
    assertThat(registry.bundleFor(first("alice"), false).signedPreKey().keyId()).isEqualTo(1);
  }

  @Test
  void aBundleOfSeveralDevices_holdsEachDevicesOwnKeys_underTheAccountsIdentity() {
    registry.rotateSignedPreKey(SECOND, TestKeys.signedPreKeyV3(identity, 2, 9));
    registry.addOneTimePreKeys(SECOND, TestKeys.oneTimePreKeys(50, 2));

    KeyJson.DevicesBundleBody bundle =
        (KeyJson.DevicesBundleBody) resourceFor(first("bob")).bundle("alice", "1,2");

    assertThat(bundle.identityKey()).isEqualTo(Bytes.base64(identity.publicKey()));
    assertThat(bundle.devices()).extracting(d -> d.deviceId()).containsExactly(1, 2);
    assertThat(bundle.devices()).extracting(d -> d.signedPreKey().keyId()).containsExactly(1L, 9L);
    assertThat(bundle.devices().get(1).oneTimePreKey().keyId()).isBetween(50L, 51L);
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(2);
    assertThat(registry.oneTimePreKeyCount(SECOND)).isEqualTo(1);
  }

  /** A device the account lacks is refused before any one-time prekey is taken. */
  @Test
  void aBundleNamingADeviceTheAccountLacks_isRefused_andConsumesNothing() {
    Throwable refused = catchThrowable(() -> resourceFor(first("bob")).bundle("alice", "1,3"));

    assertThat(refused).isInstanceOf(UnknownDeviceException.class);
    assertThat(((UnknownDeviceException) refused).deviceId()).isEqualTo(3);
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
  }

  @Test
  void aDeviceListThatBreaksTheQueryRule_isAnInvalidRequestNamingDevices() {
    for (String bad : List.of("", "0", "01", "2,1", "1,1", "1,,2", "1, 2", "a", "1,2,3,4,5,6,7")) {
      Throwable refused = catchThrowable(() -> resourceFor(first("bob")).bundle("alice", bad));
      assertThat(refused).as(bad).isInstanceOf(InvalidRequestException.class);
      assertThat(((InvalidRequestException) refused).field()).isEqualTo("devices");
    }
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
  }

  /**
   * The token filter let a request of device 2 through, then a device list removed device 2, then
   * the request's upload ran: it is answered exactly as device 2's revoked token is a moment later,
   * not with a 500, and device 1's keys stay as they were.
   */
  @Test
  void uploadsOfADeviceRemovedAfterTheTokenWasChecked_answerAsItsRevokedToken() {
    KeyResource asSecond = resourceFor(SECOND);
    db.database().atomically(tx -> devices.keepOnly(tx, "alice", List.of(1)));

    Throwable rotation =
        catchThrowable(
            () ->
                asSecond.rotateSignedPreKey(
                    json(signedPreKey(TestKeys.signedPreKeyV3(identity, 2, 9)))));
    Throwable upload =
        catchThrowable(
            () -> asSecond.addOneTimePreKeys(json(oneTimePreKeys(TestKeys.oneTimePreKeys(1, 2)))));

    Response revokedToken =
        new NotAuthenticatedMapper().toResponse(new NotAuthenticatedException());
    for (Throwable refused : List.of(rotation, upload)) {
      assertThat(refused).isInstanceOf(NotAuthenticatedException.class);
      Response answer =
          new NotAuthenticatedMapper().toResponse((NotAuthenticatedException) refused);
      assertThat(answer.getStatus()).isEqualTo(401);
      assertThat(answer.getEntity()).isEqualTo(revokedToken.getEntity());
      assertThat(answer.getHeaders()).isEqualTo(revokedToken.getHeaders());
    }
    assertThat(registry.bundleFor(first("alice"), false).signedPreKey().keyId()).isEqualTo(1);
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
  }

  private KeyResource resourceFor(DeviceAddress device) {
    KeyResource resource =
        new KeyResource(
            registry,
            new BundleLimits(Clock.systemUTC(), 60, 20, 600, Duration.ofHours(1)),
            Clock.systemUTC(),
            6);
    resource.security = new TokenOf(device);
    return resource;
  }

  private static String signedPreKey(SignedPreKey key) {
    return Json.createObjectBuilder()
        .add("keyId", key.keyId())
        .add("publicKey", Bytes.base64(key.publicKey()))
        .add("createdAt", key.createdAt())
        .add("signature", Bytes.base64(key.signature()))
        .build()
        .toString();
  }

  private static String oneTimePreKeys(List<OneTimePreKey> keys) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    keys.forEach(
        key ->
            array.add(
                Json.createObjectBuilder()
                    .add("keyId", key.keyId())
                    .add("publicKey", Bytes.base64(key.publicKey()))));
    return Json.createObjectBuilder().add("preKeys", array).build().toString();
  }

  private static InputStream json(String body) {
    return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
  }

  /** What the bearer token filter leaves in the request for a token of {@code device}. */
  private record TokenOf(DeviceAddress device) implements SecurityContext, DevicePrincipal {
    @Override
    public String getName() {
      return device.username();
    }

    @Override
    public Principal getUserPrincipal() {
      return this;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return true;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
