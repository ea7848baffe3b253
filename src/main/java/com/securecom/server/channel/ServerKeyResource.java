package com.securecom.server.channel;

import com.securecom.protocol.crypto.Bytes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/server-key}: the key clients pin for the channel handshake. */
@Path("server-key")
@Produces(MediaType.APPLICATION_JSON)
public class ServerKeyResource {
  @Inject ServerIdentity identity;

  /** {@code {algorithm, publicKey, fingerprint}}. */
  public record ServerKey(String algorithm, String publicKey, String fingerprint) {}

  @GET
  public ServerKey serverKey() {
    return new ServerKey("Ed25519", Bytes.base64(identity.publicKey()), identity.fingerprint());
  }
}
