package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DevicePrincipal;
import com.securecom.server.keys.KeyJson.BundleBody;
import com.securecom.server.keys.KeyJson.DevicesBundleBody;
import com.securecom.server.keys.KeyJson.IdentityBody;
import com.securecom.server.keys.KeyJson.OneTimePreKeysUpload;
import com.securecom.server.keys.KeyJson.PreKeyCount;
import com.securecom.server.keys.KeyJson.SignedPreKeyBody;
import com.securecom.server.web.Authenticated;
import com.securecom.server.web.JsonFields;
import com.securecom.server.web.Problem;
import com.securecom.server.web.ProblemResponses;
import com.securecom.server.web.StrictJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /api/keys}: fetch a user's prekey bundle; rotate and replenish one's own prekeys. */
@Path("keys")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class KeyResource {
  private KeyRegistry registry;
  private BundleLimits limits;
  private Clock clock;

  /** For the CDI container's proxy only. */
  protected KeyResource() {}

  private int maxDevices;

  @Inject
  public KeyResource(
      KeyRegistry registry,
      BundleLimits limits,
      Clock clock,
      @ConfigProperty(name = "securecom.devices.max", defaultValue = "6") int maxDevices) {
    this.registry = registry;
    this.limits = limits;
    this.clock = clock;
    this.maxDevices = maxDevices;
  }

  @Context SecurityContext security;

  /**
   * Limited per requester (429) and, for one-time prekeys, per target: see {@link BundleLimits}.
   */
  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description =
            "The bundle, with a one-time prekey while the target has one; with ?devices= the"
                + " bundles of those devices",
        content = @Content(schema = @Schema(oneOf = {BundleBody.class, DevicesBundleBody.class}))),
    @APIResponse(
        responseCode = "400",
        description = "invalid_path, or invalid_request (field devices)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(
        responseCode = "404",
        description = "unknown_user, or unknown_device (field devices: the first id it lacks)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (bundles per requester); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Path("{username}")
  public Object bundle(
      @PathParam("username") String username,
      @Parameter(
              description =
                  "Device ids, ascending, comma-separated (1,3): the bundles of these devices,"
                      + " in the devices form")
          @QueryParam("devices")
          String devices) {
    if (devices != null) {
      return devicesBundle(username, DeviceIdList.parse(devices, "devices", maxDevices));
    }
    limits.chargeRequester(me());
    boolean oneTimePreKey = limits.takeOneTimePreKeyOf(username);
    PreKeyBundle bundle;
    try {
      bundle = registry.bundleFor(DeviceAddress.first(username), oneTimePreKey);
    } catch (RuntimeException e) {
      if (oneTimePreKey) {
        limits.noOneTimePreKeyOf(username);
      }
      throw e;
    }
    if (oneTimePreKey && bundle.oneTimePreKey().isEmpty()) {
      limits.noOneTimePreKeyOf(username);
    }
    return BundleBody.of(username, bundle);
  }

  /**
   * The bundles of several devices: one fetch for the requester's limit; the one-time prekeys of
   * device 1 share its per-target limit with the single-bundle form, each other device has its own.
   */
  private DevicesBundleBody devicesBundle(String username, List<Integer> deviceIds) {
    limits.chargeRequester(me());
    List<String> taken = new ArrayList<>();
    KeyRegistry.DevicesBundle bundle;
    try {
      bundle =
          registry.bundlesFor(
              username,
              deviceIds,
              device -> {
                String target = oneTimePreKeyTarget(device);
                if (!limits.takeOneTimePreKeyOf(target)) {
                  return false;
                }
                taken.add(target);
                return true;
              });
    } catch (RuntimeException e) {
      taken.forEach(limits::noOneTimePreKeyOf);
      throw e;
    }
    for (KeyRegistry.DeviceKeys keys : bundle.devices()) {
      String target = oneTimePreKeyTarget(new DeviceAddress(username, keys.deviceId()));
      if (keys.oneTimePreKey().isEmpty() && taken.contains(target)) {
        limits.noOneTimePreKeyOf(target);
      }
    }
    return DevicesBundleBody.of(username, bundle);
  }

  /** The per-target limit's key: the username for device 1, as in the single-bundle form. */
  private static String oneTimePreKeyTarget(DeviceAddress device) {
    return device.deviceId() == DeviceAddress.FIRST_ID
        ? device.username()
        : device.username() + "/" + device.deviceId();
  }

  /**
   * A user's identity keys alone: consumes no one-time prekey (for safety numbers and checking a
   * sender). Limited per requester (429) before the user is looked up: see {@link BundleLimits}.
   */
  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The identity keys; consumes nothing",
        content = @Content(schema = @Schema(implementation = IdentityBody.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "404", ref = ProblemResponses.UNKNOWN_USER),
    @APIResponse(responseCode = "429", ref = ProblemResponses.IDENTITY_LOOKUPS_LIMITED),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Path("{username}/identity")
  public IdentityBody identity(@PathParam("username") String username) {
    limits.chargeIdentityLookup(me());
    return IdentityBody.of(
        username, registry.identityKeys(username).orElseThrow(UnknownUserException::new));
  }

  @APIResponses({
    @APIResponse(responseCode = "204", description = "Rotated"),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_path, invalid_json, invalid_request (field named) or invalid_signature",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @PUT
  @Path("signed-prekey")
  public void rotateSignedPreKey(
      @RequestBody(content = @Content(schema = @Schema(implementation = SignedPreKeyBody.class)))
          InputStream body) {
    SignedPreKey key =
        KeyJson.signedPreKey(
            JsonFields.of(StrictJson.read(body)), clock.instant().getEpochSecond());
    try {
      registry.rotateSignedPreKey(myDevice(), key);
    } catch (InvalidKeySignatureException e) {
      throw e.at("signature");
    }
  }

  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The pool size now",
        content = @Content(schema = @Schema(implementation = PreKeyCount.class))),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_path, invalid_json, invalid_request (field named) or prekey_pool_full",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(
        responseCode = "409",
        description = "prekey_conflict: an id is stored already",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  @Path("one-time-prekeys")
  public PreKeyCount addOneTimePreKeys(
      @RequestBody(
              content = @Content(schema = @Schema(implementation = OneTimePreKeysUpload.class)))
          InputStream body) {
    List<OneTimePreKey> keys =
        KeyJson.oneTimePreKeys(JsonFields.of(StrictJson.read(body)), "preKeys", false, 1, 1000);
    try {
      registry.addOneTimePreKeys(myDevice(), keys);
    } catch (PreKeyPoolException e) {
      throw e.at("preKeys");
    }
    return new PreKeyCount(registry.oneTimePreKeyCount(myDevice()));
  }

  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The pool size",
        content = @Content(schema = @Schema(implementation = PreKeyCount.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Path("one-time-prekeys/count")
  public PreKeyCount count() {
    return new PreKeyCount(registry.oneTimePreKeyCount(myDevice()));
  }

  /**
   * The caller, as the bearer token filter authenticated it (the principal's name is the username).
   */
  private String me() {
    return security.getUserPrincipal().getName();
  }

  /** The caller's device: its token's, whose own prekeys these endpoints change and count. */
  private DeviceAddress myDevice() {
    return ((DevicePrincipal) security.getUserPrincipal()).device();
  }
}
