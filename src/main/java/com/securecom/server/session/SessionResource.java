package com.securecom.server.session;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import com.securecom.server.web.RequestValidator;
import java.time.Instant;

/** {@code POST /api/sessions} logs in; {@code DELETE /api/sessions/current} logs out. */
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {
  @Inject
  SessionService sessions;

  @Inject
  RequestValidator validator;

  /** {@code {username, password}}; lengths are bounded so no one can make the server hash a megabyte. */
  public static final class LoginRequest {
    @NotNull @Size(max = 32) public String username;
    @NotNull @Size(max = 128) public String password;

    @Override
    public String toString() {
      return "LoginRequest[username=" + username + ", password=[REDACTED]]";
    }
  }

  /** {@code {token, expiresAt}} with expiresAt in ISO-8601 UTC. */
  public record LoginResponse(String token, String expiresAt) {}

  @POST
  public LoginResponse login(LoginRequest request, @Context HttpServletRequest http) {
    validator.check(request);
    LoginResult result = sessions.login(request.username, request.password, http.getRemoteAddr());
    return new LoginResponse(result.token(), Instant.ofEpochMilli(result.expiresAt()).toString());
  }

  @DELETE
  @Path("current")
  @Authenticated
  public void logout(@Context SecurityContext security) {
    sessions.logout(BearerTokenFilter.userOf(security));
  }
}
