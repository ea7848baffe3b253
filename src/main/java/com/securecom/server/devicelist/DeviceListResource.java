package com.securecom.server.devicelist;

import com.securecom.server.audit.AuditLog;
import com.securecom.server.device.DevicePrincipal;
import com.securecom.server.device.DeviceQueues;
import com.securecom.server.devicelist.DeviceListJson.AccountDevices;
import com.securecom.server.devicelist.DeviceListJson.ListUpload;
import com.securecom.server.devicelist.DeviceListJson.OwnDevices;
import com.securecom.server.keys.BundleLimits;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code /api/devices}: an account's signed device list and devices; replacing one's own list. */
@Path("devices")
@Authenticated
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class DeviceListResource {
  private DeviceLists lists;
  private DeviceQueues queues;
  private BundleLimits limits;
  private ClientAddress clientAddress;
  private AuditLog audit;

  /** For the CDI container's proxy only. */
  protected DeviceListResource() {}

  @Inject
  public DeviceListResource(
      DeviceLists lists,
      DeviceQueues queues,
      BundleLimits limits,
      ClientAddress clientAddress,
      AuditLog audit) {
    this.lists = lists;
    this.queues = queues;
    this.limits = limits;
    this.clientAddress = clientAddress;
    this.audit = audit;
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

  private DevicePrincipal me() {
    return (DevicePrincipal) security.getUserPrincipal();
  }
}
