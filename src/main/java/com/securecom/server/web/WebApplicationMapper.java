package com.securecom.server.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The container's own failures (unknown path, wrong media type, unreadable body) as problem bodies,
 * {@code http_<status>} unless said otherwise. A wrong method has its own mapper, {@link
 * MethodNotAllowedMapper}.
 */
@Provider
public class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    Response.StatusType status = e.getResponse().getStatusInfo();
    boolean badBody = status.getStatusCode() == 400;
    Response.ResponseBuilder problem =
        badBody
            ? Problem.response(
                status, "invalid_json", "the request body is not valid JSON of the expected shape")
            : Problem.response(status, "http_" + status.getStatusCode(), status.getReasonPhrase());
    e.getResponse()
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Content-Type")
                  && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> problem.header(name, v));
              }
            });
    return problem.build();
  }
}
