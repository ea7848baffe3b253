package com.securecom.server.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks a request body's Bean Validation constraints and reports the first broken one (in the order the body
 * declares its fields, so the answer is stable) as an {@link InvalidRequestException} naming the field.
 */
@ApplicationScoped
public class RequestValidator {
  private Validator validator;

  protected RequestValidator() {}

  @Inject
  public RequestValidator(Validator validator) {
    this.validator = validator;
  }

  public <T> T check(T body) {
    if (body == null) {
      throw new InvalidRequestException(null, "a JSON request body is required");
    }
    Set<ConstraintViolation<T>> violations = validator.validate(body);
    List<String> order = Arrays.stream(body.getClass().getDeclaredFields()).map(Field::getName).toList();
    violations.stream()
        .min(Comparator.<ConstraintViolation<T>>comparingInt(v -> order.indexOf(topField(v)))
            .thenComparing(v -> v.getPropertyPath().toString()))
        .ifPresent(v -> {
          String field = v.getPropertyPath().toString();
          throw new InvalidRequestException(field, field + " " + v.getMessage());
        });
    return body;
  }

  private static String topField(ConstraintViolation<?> violation) {
    String path = violation.getPropertyPath().toString();
    int end = path.indexOf('.') < 0 ? path.length() : path.indexOf('.');
    int bracket = path.indexOf('[');
    return path.substring(0, bracket >= 0 && bracket < end ? bracket : end);
  }
}
