package com.securecom.server.account;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.keys.KeyJson.IdentityDhKeyBody;
import com.securecom.server.keys.KeyJson.OneTimePreKeyBody;
import com.securecom.server.keys.KeyJson.SignedPreKeyBody;
import com.securecom.server.web.Base64Field;
import com.securecom.server.web.RequestValidator;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** {@code POST /api/accounts}: registration with the user's identity key and first prekeys. */
@Path("accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {
  @Inject
  AccountService accounts;

  @Inject
  RequestValidator validator;

  /** The registration body; see docs/protocol.md. A class, not a record: see {@code KeyJson}. */
  public static final class RegistrationRequest {
    @NotNull
    @Pattern(regexp = "[a-z0-9._-]{3,32}", message = "must be 3-32 characters of a-z, 0-9, '.', '_' or '-'")
    public String username;

    @NotNull @Size(min = 10, max = 128, message = "must be 10-128 characters") public String password;
    @NotNull public String identityKey;
    @NotNull @Valid public IdentityDhKeyBody identityDhKey;
    @NotNull @Valid public SignedPreKeyBody signedPreKey;
    @Size(max = 1000) public List<@NotNull @Valid OneTimePreKeyBody> oneTimePreKeys;

    @Override
    public String toString() {
      return "RegistrationRequest[username=" + username + ", password=[REDACTED]]";
    }
  }

  /** {@code {username}}. */
  public record Registered(String username) {}

  @POST
  public Response register(RegistrationRequest request, @Context HttpServletRequest http, @Context UriInfo uri) {
    validator.check(request);
    NewAccount account = new NewAccount(request.username, request.password,
        request.identityDhKey.decode("identityDhKey",
            Base64Field.decode("identityKey", request.identityKey, Ed25519.KEY_BYTES)),
        request.signedPreKey.decode("signedPreKey"),
        OneTimePreKeyBody.decodeAll("oneTimePreKeys",
            request.oneTimePreKeys == null ? List.of() : request.oneTimePreKeys));
    accounts.register(account, http.getRemoteAddr());
    return Response.created(uri.getBaseUriBuilder().path("keys").path(account.username()).build())
        .entity(new Registered(account.username()))
        .build();
  }
}
