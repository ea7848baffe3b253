package com.securecom.server.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API under {@code /api}; its OpenAPI document is served at {@code /openapi}. */
@ApplicationPath("api")
@OpenAPIDefinition(
    info =
        @Info(
            title = "SecureCom",
            version = "1",
            description =
                "Accounts, sessions and the key registry of SecureCom. The relay is the WebSocket channel at /ws;"
                    + " see docs/protocol.md."))
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The token from POST /api/sessions, as Authorization: Bearer <token>")
public class SecureComApi extends Application {
  /**
   * A {@code Location} stays the path the resource wrote: Jersey would otherwise make it absolute
   * from the request's {@code Host} header, which the client chose (a reflected host).
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of("jersey.config.server.headers.location.relative.resolution.disabled", true);
  }
}
