package com.securecom.server.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST API under {@code /api}; its OpenAPI document is served at {@code /openapi}. The problem
 * responses several operations share are defined here once, under the names of {@link
 * ProblemResponses}; operations refer to them with {@code @APIResponse(ref = ...)}.
 */
@ApplicationPath("api")
@OpenAPIDefinition(
    info =
        @Info(
            title = "SecureCom",
            version = "1",
            description =
                "Accounts, sessions and the key registry of SecureCom. The relay is the WebSocket channel at /ws;"
                    + " see docs/protocol.md."),
    components =
        @Components(
            responses = {
              @APIResponse(
                  name = ProblemResponses.INVALID_PATH,
                  responseCode = "400",
                  description =
                      "invalid_path: encoded separators, dot segments or path parameters in the"
                          + " path",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA))),
              @APIResponse(
                  name = ProblemResponses.UNAUTHORIZED,
                  responseCode = "401",
                  description = "unauthorized: missing, malformed, expired or revoked bearer token",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA))),
              @APIResponse(
                  name = ProblemResponses.UNKNOWN_USER,
                  responseCode = "404",
                  description = "unknown_user",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA))),
              @APIResponse(
                  name = ProblemResponses.IDENTITY_LOOKUPS_LIMITED,
                  responseCode = "429",
                  description = "rate_limited (identity lookups per requester); Retry-After",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA))),
              @APIResponse(
                  name = ProblemResponses.BODY_TOO_LARGE,
                  responseCode = "413",
                  description = "body_too_large: over 262,144 bytes",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA))),
              @APIResponse(
                  name = ProblemResponses.SERVER_ERROR,
                  responseCode = "500",
                  description = "server_error, without internals",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA,
                          schema = @Schema(ref = ProblemResponses.SCHEMA)))
            }))
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The token from POST /api/sessions, as Authorization: Bearer <token>")
public class SecureComApi extends Application {
  /**
   * A {@code Location} stays the path the resource wrote: Jersey would otherwise make it absolute
   * from the request's {@code Host} header, which the client chose (a reflected host). No WADL:
   * Jersey would describe the whole API to anyone at {@code /api/application.wadl}, through a proxy
   * that keeps {@code /openapi} to the operator (deploy/nginx/securecom.conf).
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        "jersey.config.server.headers.location.relative.resolution.disabled", true,
        "jersey.config.server.wadl.disableWadl", true);
  }
}
