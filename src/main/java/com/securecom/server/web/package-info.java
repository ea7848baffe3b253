/**
 * The HTTP boundary every resource shares, generic on purpose: the JAX-RS application, strict JSON
 * reading and request validation, problem+json bodies ({@link com.securecom.server.web.Problem}),
 * the {@code Authenticated} name binding and its 401 ({@code NotAuthenticatedException}), servlet
 * filters and security headers. Each domain package maps its own exceptions beside them; this
 * package imports no domain package (the authenticated user is read through the standard {@code
 * SecurityContext}).
 */
package com.securecom.server.web;
