package com.securecom.server.web;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses {@code HEAD} and {@code OPTIONS} on the API like any other method a path does not have:
 * 405 {@code http_405} with the path's own methods in {@code Allow} ({@link
 * MethodNotAllowedMapper}), or 404 {@code http_404} for an unknown path. No resource method runs,
 * and no filter behind this one (a 405 comes before a 401, as for other methods).
 *
 * <p>JAX-RS answers {@code HEAD} by running the {@code GET} method and dropping its body, and GETs
 * here change state: taking a link mailbox's message deletes the mailbox, a bundle hands out a
 * one-time prekey, lookups count against rate limits. Jersey answers {@code OPTIONS} with a WADL
 * description of the API. No client of this API needs either. The filter runs before routing and
 * renames the method to one no resource has (the standard way a pre-matching filter overrides a
 * method), so that routing itself answers, with what the resource model really holds.
 */
@Provider
@PreMatching
public class HeadAndOptionsFilter implements ContainerRequestFilter {
  /** The method a refused request is routed as: no resource has it. */
  static final String REFUSED = "REFUSED";

  @Override
  public void filter(ContainerRequestContext request) {
    String method = request.getMethod();
    if (HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)) {
      request.setMethod(REFUSED);
    }
  }
}
