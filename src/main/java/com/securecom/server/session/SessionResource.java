package com.securecom.server.session;

import com.securecom.server.audit.AuditLog;
import com.securecom.server.device.DeviceAddress;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** {@code POST /api/sessions} logs in; {@code DELETE /api/sessions/current} logs out. */
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class SessionResource {
  private SessionService sessions;
  private ClientAddress clientAddress;
  private AuditLog audit;

  /** For the CDI container's proxy only. */
  protected SessionResource() {}

  @Inject
  public SessionResource(SessionService sessions, ClientAddress clientAddress, AuditLog audit) {
    this.sessions = sessions;
    this.clientAddress = clientAddress;
    this.audit = audit;
  }

  /**
   * {@code {username, password, device?}}: two JSON strings and an optional device id, 1 if absent
   * (the login body's shape, for the OpenAPI document).
   */
  public record LoginRequest(String username, String password, Integer device) {
    @Override
    public String toString() {
      return "LoginRequest[username=" + username + ", password=[REDACTED], device=" + device + "]";
    }
  }

  /** {@code {token, expiresAt}} with expiresAt in ISO-8601 UTC. */
  public record LoginResponse(String token, String expiresAt) {}

  /**
   * Any username and password that are JSON strings get the same treatment: a username that cannot
   * exist or a password over 128 characters is a failed login (401 after the same work), not a 400
   * that would tell them apart.
   */
  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "Logged in",
        content = @Content(schema = @Schema(implementation = LoginResponse.class))),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_path, invalid_json (not one strict JSON object) or invalid_request"
                + " (field named)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "401",
        description = "invalid_credentials: wrong username or password (one answer for both)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "403",
        description =
            "device_removed: the password is right but the account has no such device (removed,"
                + " or never linked); do not retry",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (login throttle); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  public LoginResponse login(
      @RequestBody(content = @Content(schema = @Schema(implementation = LoginRequest.class)))
          InputStream body,
      @Context HttpServletRequest http) {
    JsonFields request = JsonFields.of(StrictJson.read(body));
    String username = request.string("username");
    String password = request.string("password");
    int device = request.has("device") ? request.deviceId("device") : DeviceAddress.FIRST_ID;
    String address = clientAddress.of(http);
    LoginResult result;
    try {
      result = sessions.login(username, password, device, address);
    } catch (InvalidCredentialsException e) {
      audit.loginFailed(e.accountExists() ? username : null, address);
      throw e;
    } catch (DeviceRemovedException e) {
      audit.loginToRemovedDevice(username, device, address);
      throw e;
    }
    audit.loginSucceeded(username, device, address);
    return new LoginResponse(result.token(), Instant.ofEpochMilli(result.expiresAt()).toString());
  }

  @APIResponses({
    @APIResponse(
        responseCode = "204",
        description =
            "Logged out everywhere; an open WebSocket of the session is closed with 4401"),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @SecurityRequirement(name = "bearer")
  @DELETE
  @Path("current")
  @Authenticated
  public void logout(@Context SecurityContext security) {
    sessions.logout(BearerTokenFilter.userOf(security));
  }
}
