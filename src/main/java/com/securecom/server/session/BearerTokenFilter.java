package com.securecom.server.session;

import com.securecom.server.web.Authenticated;
import com.securecom.server.web.NotAuthenticatedException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;

/**
 * Authenticates {@link Authenticated} calls by bearer token; anything else is a {@link
 * NotAuthenticatedException}.
 */
@Provider
@Authenticated
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
  private static final String PREFIX = "Bearer ";

  @Inject SessionService sessions;

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new NotAuthenticatedException();
    }
    AuthenticatedUser user =
        sessions
            .authenticate(header.substring(PREFIX.length()).trim())
            .orElseThrow(NotAuthenticatedException::new);
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(
        new SecurityContext() {
          @Override
          public Principal getUserPrincipal() {
            return user;
          }

          @Override
          public boolean isUserInRole(String role) {
            return false;
          }

          @Override
          public boolean isSecure() {
            return secure;
          }

          @Override
          public String getAuthenticationScheme() {
            return "Bearer";
          }
        });
  }

  /** The user a filtered request was authenticated as. */
  static AuthenticatedUser userOf(SecurityContext context) {
    return (AuthenticatedUser) context.getUserPrincipal();
  }
}
