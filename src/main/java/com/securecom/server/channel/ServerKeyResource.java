package com.securecom.server.channel;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.server.web.ProblemResponses;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;

/** {@code GET /api/server-key}: the key clients pin for the channel handshake. */
@Path("server-key")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class ServerKeyResource {
  private ServerIdentity identity;

  /** For the CDI container's proxy only. */
  protected ServerKeyResource() {}

  @Inject
  public ServerKeyResource(ServerIdentity identity) {
    this.identity = identity;
  }

  /** {@code {algorithm, publicKey, fingerprint}}. */
  public record ServerKey(String algorithm, String publicKey, String fingerprint) {}

  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The key clients pin",
        content = @Content(schema = @Schema(implementation = ServerKey.class))),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  public ServerKey serverKey() {
    return new ServerKey("Ed25519", Bytes.base64(identity.publicKey()), identity.fingerprint());
  }
}
