package com.securecom.server.link;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.server.device.DevicePrincipal;
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
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * {@code /api/links}: the provisioning mailboxes of linking. Opening and emptying one needs no
 * account (the new device has none); filling one needs a bearer token.
 */
@Path("links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
public class LinkResource {
  private static final Pattern MAILBOX = Pattern.compile("[0-9a-f]{32}");
  private static final String MAILBOX_RULE = "32 lowercase hexadecimal digits";

  private LinkMailboxes mailboxes;
  private ClientAddress clientAddress;

  /** For the CDI container's proxy only. */
  protected LinkResource() {}

  @Inject
  public LinkResource(LinkMailboxes mailboxes, ClientAddress clientAddress) {
    this.mailboxes = mailboxes;
    this.clientAddress = clientAddress;
  }

  @Context SecurityContext security;

  /** {@code {mailbox}}. */
  public record OpenRequest(String mailbox) {}

  /** {@code {expiresAt}}. */
  public record Opened(String expiresAt) {}

  /** {@code {message}}. */
  public record MessageBody(String message) {}

  @APIResponses({
    @APIResponse(
        responseCode = "201",
        description = "Opened, empty, until expiresAt",
        content = @Content(schema = @Schema(implementation = Opened.class))),
    @APIResponse(
        responseCode = "400",
        description = "invalid_path, invalid_json or invalid_request (field mailbox)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "409",
        description = "link_conflict: a mailbox with this id exists",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (mailboxes per address, or too many open); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @POST
  public Response open(
      @RequestBody(content = @Content(schema = @Schema(implementation = OpenRequest.class)))
          InputStream body,
      @Context HttpServletRequest http) {
    JsonFields request = JsonFields.of(StrictJson.read(body));
    byte[] id = HexFormat.of().parseHex(request.string("mailbox", MAILBOX, MAILBOX_RULE));
    long expiresAt = mailboxes.open(id, clientAddress.of(http));
    return Response.status(Response.Status.CREATED)
        .entity(new Opened(Instant.ofEpochMilli(expiresAt).toString()))
        .build();
  }

  @APIResponses({
    @APIResponse(responseCode = "204", description = "The message is in the mailbox"),
    @APIResponse(
        responseCode = "400",
        description = "invalid_path, invalid_json or invalid_request (field message)",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED),
    @APIResponse(
        responseCode = "404",
        description = "unknown_link: no such mailbox is open",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "409",
        description = "link_used: the mailbox holds a message already",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "413", ref = ProblemResponses.BODY_TOO_LARGE),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (messages per account and day); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @PUT
  @Path("{mailbox}")
  @Authenticated
  @SecurityRequirement(name = "bearer")
  public void put(
      @PathParam("mailbox") String mailbox,
      @RequestBody(content = @Content(schema = @Schema(implementation = MessageBody.class)))
          InputStream body) {
    byte[] message =
        JsonFields.of(StrictJson.read(body)).base64("message", 1, LinkMailboxes.MAX_MESSAGE_BYTES);
    mailboxes.put(me().device(), id(mailbox), message);
  }

  @APIResponses({
    @APIResponse(
        responseCode = "200",
        description = "The message; the mailbox is deleted",
        content = @Content(schema = @Schema(implementation = MessageBody.class))),
    @APIResponse(responseCode = "204", description = "The mailbox is still empty"),
    @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID_PATH),
    @APIResponse(
        responseCode = "404",
        description = "unknown_link: no such mailbox is open",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(
        responseCode = "429",
        description = "rate_limited (polls per address); Retry-After",
        content =
            @Content(mediaType = Problem.MEDIA, schema = @Schema(ref = ProblemResponses.SCHEMA))),
    @APIResponse(responseCode = "500", ref = ProblemResponses.SERVER_ERROR)
  })
  @GET
  @Path("{mailbox}")
  public Response take(@PathParam("mailbox") String mailbox, @Context HttpServletRequest http) {
    String address = clientAddress.of(http);
    byte[] id = id(mailbox);
    Optional<byte[]> message = mailboxes.take(id, address);
    if (message.isEmpty()) {
      return Response.noContent().build();
    }
    return Response.ok(new MessageBody(Bytes.base64(message.get()))).build();
  }

  /** A path's mailbox id; one that cannot name a mailbox is as unknown as any other. */
  private static byte[] id(String mailbox) {
    if (mailbox == null || !MAILBOX.matcher(mailbox).matches()) {
      throw new UnknownLinkException();
    }
    return HexFormat.of().parseHex(mailbox);
  }

  private DevicePrincipal me() {
    return (DevicePrincipal) security.getUserPrincipal();
  }
}
