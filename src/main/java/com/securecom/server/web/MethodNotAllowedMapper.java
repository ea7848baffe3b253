package com.securecom.server.web;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import java.util.TreeSet;

/**
 * 405 {@code http_405} for a method the path does not have, with {@code Allow} naming the methods
 * it has, sorted. Jersey's own {@code Allow} also names {@code OPTIONS} (and {@code HEAD} beside a
 * {@code GET}), which this API refuses ({@link HeadAndOptionsFilter}): they are left out.
 */
@Provider
public class MethodNotAllowedMapper implements ExceptionMapper<NotAllowedException> {
  private static final Set<String> NEVER_ANSWERED = Set.of(HttpMethod.HEAD, HttpMethod.OPTIONS);

  @Override
  public Response toResponse(NotAllowedException e) {
    Set<String> allowed = new TreeSet<>(e.getResponse().getAllowedMethods());
    allowed.removeAll(NEVER_ANSWERED);
    Response.Status status = Response.Status.METHOD_NOT_ALLOWED;
    return Problem.response(status, "http_405", status.getReasonPhrase())
        .header(HttpHeaders.ALLOW, String.join(", ", allowed))
        .build();
  }
}
