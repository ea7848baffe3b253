package com.securecom.server.keys;

import com.securecom.server.keys.KeyJson.BundleBody;
import com.securecom.server.keys.KeyJson.IdentityBody;
import com.securecom.server.keys.KeyJson.OneTimePreKeyBody;
import com.securecom.server.keys.KeyJson.OneTimePreKeysUpload;
import com.securecom.server.keys.KeyJson.PreKeyCount;
import com.securecom.server.keys.KeyJson.SignedPreKeyBody;
import com.securecom.server.session.Authenticated;
import com.securecom.server.session.BearerTokenFilter;
import com.securecom.server.web.RequestValidator;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** {@code /api/keys}: fetch a user's prekey bundle; rotate and replenish one's own prekeys. */
@Path("keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeyResource {
  @Inject
  KeyRegistry registry;

  @Inject
  RequestValidator validator;

  @Context
  SecurityContext security;

  @GET
  @Path("{username}")
  public BundleBody bundle(@PathParam("username") String username) {
    return BundleBody.of(registry.bundleFor(username));
  }

  /** A user's identity keys alone: consumes no one-time prekey (for safety numbers and checking a sender). */
  @GET
  @Path("{username}/identity")
  public IdentityBody identity(@PathParam("username") String username) {
    return IdentityBody.of(registry.identityKeys(username).orElseThrow(UnknownUserException::new));
  }

  @PUT
  @Path("signed-prekey")
  public void rotateSignedPreKey(SignedPreKeyBody body) {
    validator.check(body);
    registry.rotateSignedPreKey(me(), body.decode("signedPreKey"));
  }

  @POST
  @Path("one-time-prekeys")
  public PreKeyCount addOneTimePreKeys(OneTimePreKeysUpload body) {
    validator.check(body);
    registry.addOneTimePreKeys(me(), OneTimePreKeyBody.decodeAll("preKeys", body.preKeys));
    return new PreKeyCount(registry.oneTimePreKeyCount(me()));
  }

  @GET
  @Path("one-time-prekeys/count")
  public PreKeyCount count() {
    return new PreKeyCount(registry.oneTimePreKeyCount(me()));
  }

  private String me() {
    return BearerTokenFilter.userOf(security).username();
  }
}
