package com.securecom.server.account;

import com.securecom.protocol.Usernames;
import com.securecom.server.keys.KeyJson;
import com.securecom.server.keys.KeyJson.IdentityDhKeyBody;
import com.securecom.server.keys.KeyJson.OneTimePreKeyBody;
import com.securecom.server.keys.KeyJson.SignedPreKeyBody;
import com.securecom.server.web.ClientAddress;
import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.JsonFields;
import com.securecom.server.web.Problem;
import com.securecom.server.web.ProblemResponses;
import com.securecom.server.web.StrictJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;

/** {@code POST /api/accounts}: registration with the user's identity key and first prekeys. */
@Path("accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class AccountResource {
  private AccountService accounts;
  private ClientAddress clientAddress;
  private Clock clock;

  /** For the CDI container's proxy only. */
  protected AccountResource() {}

  @Inject
  public AccountResource(AccountService accounts, ClientAddress clientAddress, Clock clock) {
    this.accounts = accounts;
    this.clientAddress = clientAddress;
    this.clock = clock;
  }

  /** The registration body's shape (for the OpenAPI document); see docs/protocol.md. */
  public record RegistrationRequest(
      String username,
      String password,
      String identityKey,
      IdentityDhKeyBody identityDhKey,
      SignedPreKeyBody signedPreKey,
      List<OneTimePreKeyBody> oneTimePreKeys) {}

  /** {@code {username}}. */
  public record Registered(String username) {}

  /**
   * 201 with {@code Location: /api/keys/{username}}, a path (never built from the request's Host
   * header).
   */
  @APIResponses({
    @APIResponse(
        responseCode = "201",
        description = "Registered; Location: /api/keys/{username}",
        content = @Content(schema = @Schema(implementation = Registered.class))),
    @APIResponse(
        responseCode = "400",
        description =
            "invalid_path, invalid_json, invalid_request (field named), invalid_signature"
                + " or prekey_pool_full",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "409",
        description = "username_taken",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (registrations per address); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  public Response register(
      @RequestBody(content = @Content(schema = @Schema(implementation = RegistrationRequest.class)))
          InputStream body,
      @Context HttpServletRequest http) {
    JsonFields request = JsonFields.of(StrictJson.read(body));
    String username = request.string("username", Usernames.PATTERN, Usernames.RULE);
    String password = request.string("password");
    int length = password.codePointCount(0, password.length());
    if (length < 10 || length > 128) {
      throw new InvalidRequestException("password", "password must be 10-128 characters");
    }
    NewAccount account =
        new NewAccount(
            username,
            password,
            KeyJson.identity(request),
            KeyJson.signedPreKey(request.object("signedPreKey"), clock.instant().getEpochSecond()),
            KeyJson.oneTimePreKeys(request, "oneTimePreKeys", true, 0, 1000));
    accounts.register(account, clientAddress.of(http));
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.LOCATION, http.getContextPath() + "/api/keys/" + username)
        .entity(new Registered(username))
        .build();
  }
}
