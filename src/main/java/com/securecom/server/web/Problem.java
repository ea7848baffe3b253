package com.securecom.server.web;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem body. {@code code} is a stable machine-readable name for the failure; {@code
 * field} names the request field at fault, when there is one. The {@code @Schema} puts it in the
 * OpenAPI document's components with its fields (Payara renders a record it meets only through
 * {@code implementation = } as an empty object).
 */
@Schema(
    name = ProblemResponses.SCHEMA,
    description = "An RFC 9457 problem body; code is one of the table in docs/protocol.md")
@JsonbPropertyOrder({"type", "title", "status", "code", "detail", "field"})
public record Problem(
    String type, String title, int status, String code, String detail, String field) {
  /** {@code application/problem+json}, as a constant for annotations. */
  public static final String MEDIA = "application/problem+json";

  public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

  public static Response.ResponseBuilder response(
      Response.StatusType status, String code, String detail, String field) {
    return Response.status(status)
        .type(MEDIA_TYPE)
        .entity(
            new Problem(
                "about:blank",
                status.getReasonPhrase(),
                status.getStatusCode(),
                code,
                detail,
                field));
  }

  public static Response.ResponseBuilder response(
      Response.StatusType status, String code, String detail) {
    return response(status, code, detail, null);
  }
}
