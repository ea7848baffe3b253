package com.securecom.server.devicelist;

import com.securecom.protocol.Usernames;
import com.securecom.server.audit.AuditLog;
import com.securecom.server.device.DevicePrincipal;
import com.securecom.server.device.DeviceQueues;
import com.securecom.server.devicelist.DeviceListJson.AccountDevices;
import com.securecom.server.devicelist.DeviceListJson.ListUpload;
import com.securecom.server.devicelist.DeviceListJson.OwnDevices;
import com.securecom.server.keys.BundleLimits;
import com.securecom.server.keys.KeyJson;
import com.securecom.server.keys.KeyJson.OneTimePreKeyBody;
import com.securecom.server.keys.KeyJson.SignedPreKeyBody;
import com.securecom.server.web.Authenticated;
import com.securecom.server.web.ClientAddress;
import com.securecom.server.web.JsonFields;
import com.securecom.server.web.Problem;
import com.securecom.server.web.ProblemResponses;
import com.securecom.server.web.StrictJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /api/devices}: an account's signed device list and devices; replacing one's own list;
 * linking a device (a ticket for the existing device, the new device's registration). Every call
 * but the registration, which the ticket authenticates, needs a bearer token.
 */
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class DeviceListResource {
  private DeviceLists lists;
  private DeviceLinking linking;
  private DeviceQueues queues;
  private BundleLimits limits;
  private ClientAddress clientAddress;
  private AuditLog audit;
  private Clock clock;

  /** For the CDI container's proxy only. */
  protected DeviceListResource() {}

  @Inject
  public DeviceListResource(
      DeviceLists lists,
      DeviceLinking linking,
      DeviceQueues queues,
      BundleLimits limits,
      ClientAddress clientAddress,
      AuditLog audit,
      Clock clock) {
    this.lists = lists;
    this.linking = linking;
    this.queues = queues;
    this.limits = limits;
    this.clientAddress = clientAddress;
    this.audit = audit;
    this.clock = clock;
  }

  @Context SecurityContext security;

  /** Counted as an identity lookup (per requester, 429) before the account is looked up. */
  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The account's signed list (absent: it never published one) and device ids",
        content = @Content(schema = @Schema(implementation = AccountDevices.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "404", ref = ProblemResponses.UNKNOWN_USER),
    @APIResponse(responseCode = "429", ref = ProblemResponses.IDENTITY_LOOKUPS_LIMITED),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Path("{username}")
  @Authenticated
  @SecurityRequirement(name = "bearer")
  public AccountDevices of(@PathParam("username") String username) {
    limits.chargeIdentityLookup(me().device().username());
    return AccountDevices.of(lists.of(username));
  }

  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description =
            "The caller's account: its list, the device limit and its devices, with what is queued"
                + " for each",
        content = @Content(schema = @Schema(implementation = OwnDevices.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Authenticated
  @SecurityRequirement(name = "bearer")
  public OwnDevices own() {
    return OwnDevices.of(lists.of(me().device().username()), lists.maxDevices(), queues::queued);
  }

  @APIResponses({
    @APIResponse(responseCode = "204", description = "Stored; removed devices are gone"),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_path, invalid_json, invalid_request (field named: not a well-formed list of"
                + " this account and key, or not issued within a day) or invalid_signature",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(
        responseCode = "409",
        description =
            "list_conflict: not the successor of the stored list, or it adds a device; fetch the"
                + " stored list and build on it",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (list uploads per account); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @PUT
  @Path("list")
  @Authenticated
  @SecurityRequirement(name = "bearer")
  public void replace(
      @RequestBody(content = @Content(schema = @Schema(implementation = ListUpload.class)))
          InputStream body,
      @Context HttpServletRequest http) {
    String username = me().device().username();
    DeviceLists.Stored stored =
        lists.replace(
            me().device(),
            DeviceListJson.signedList(JsonFields.of(StrictJson.read(body)), "deviceList"));
    audit.deviceListStored(username, stored.serial(), stored.removed(), clientAddress.of(http));
  }

  /** {@code {ticket, expiresAt}}: a linking ticket, shown once. */
  public record TicketBody(String ticket, String expiresAt) {}

  @APIResponses({
    @APIResponse(
        responseCode = "201",
        description = "A one-use linking ticket for the caller's account",
        content = @Content(schema = @Schema(implementation = TicketBody.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (tickets per account and day, or 3 unused); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  @Path("tickets")
  @Authenticated
  @SecurityRequirement(name = "bearer")
  public Response ticket() {
    DeviceLinking.Ticket ticket = linking.ticket(me().device());
    return Response.status(Response.Status.CREATED)
        .entity(
            new TicketBody(ticket.ticket(), Instant.ofEpochMilli(ticket.expiresAt()).toString()))
        .build();
  }

  /** The registration body's shape (for the OpenAPI document); see docs/protocol.md. */
  public record NewDeviceBody(
      String username,
      String ticket,
      DeviceListJson.SignedListBody deviceList,
      SignedPreKeyBody signedPreKey,
      List<OneTimePreKeyBody> oneTimePreKeys,
      String name) {}

  /** {@code {deviceId, token, expiresAt}}: the new device and its first session. */
  public record LinkedBody(int deviceId, String token, String expiresAt) {}

  @APIResponses({
    @APIResponse(
        responseCode = "201",
        description = "Linked: the new device's id and its first bearer token",
        content = @Content(schema = @Schema(implementation = LinkedBody.class))),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_json, invalid_request (field named), invalid_signature (list or signed"
                + " prekey) or prekey_pool_full",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "401",
        description = "invalid_ticket: unknown, used, expired or another account's",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "409",
        description =
            "list_conflict (not the successor of the stored list adding exactly this device) or"
                + " too_many_devices",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (registrations per address, or per account and day)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  public Response register(
      @RequestBody(content = @Content(schema = @Schema(implementation = NewDeviceBody.class)))
          InputStream body,
      @Context HttpServletRequest http) {
    JsonFields request = JsonFields.of(StrictJson.read(body));
    DeviceLinking.NewDevice device =
        new DeviceLinking.NewDevice(
            request.string("username", Usernames.PATTERN, Usernames.RULE),
            request.string("ticket"),
            DeviceListJson.signedList(request, "deviceList"),
            KeyJson.signedPreKey(request.object("signedPreKey"), clock.instant().getEpochSecond()),
            KeyJson.oneTimePreKeys(request, "oneTimePreKeys", true, 0, 1000),
            DeviceNames.optional(request, "name"));
    DeviceLinking.Linked linked = linking.register(device, clientAddress.of(http));
    audit.deviceLinked(device.username(), linked.deviceId(), clientAddress.of(http));
    return Response.status(Response.Status.CREATED)
        .entity(
            new LinkedBody(
                linked.deviceId(),
                linked.session().token(),
                Instant.ofEpochMilli(linked.session().expiresAt()).toString()))
        .build();
  }

  private DevicePrincipal me() {
    return (DevicePrincipal) security.getUserPrincipal();
  }
}
