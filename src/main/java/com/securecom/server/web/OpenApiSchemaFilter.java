package com.securecom.server.web;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Takes out the {@code maxProperties: 0} that Payara writes into every schema it builds from a
 * class (the annotation's default copied as if it were set), which would forbid the very properties
 * the schema lists. Registered as {@code mp.openapi.filter}.
 */
public class OpenApiSchemaFilter implements OASFilter {
  @Override
  public Schema filterSchema(Schema schema) {
    if (Integer.valueOf(0).equals(schema.getMaxProperties()) && schema.getProperties() != null) {
      schema.setMaxProperties(null);
    }
    return schema;
  }
}
