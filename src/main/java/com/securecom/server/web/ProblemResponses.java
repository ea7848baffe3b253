package com.securecom.server.web;

/**
 * The names of the problem responses that many operations share, for {@code @APIResponse(ref =
 * ...)}. {@link SecureComApi} defines each once, with its status, description and the {@link
 * #SCHEMA problem schema}; an operation that answers a problem of its own describes it inline.
 */
public final class ProblemResponses {
  /** The {@link Problem} body's schema in the document's components. */
  public static final String SCHEMA = "Problem";

  /** 400 {@code invalid_path}: any operation, before its body is read. */
  public static final String INVALID_PATH = "InvalidPath";

  /** 401 {@code unauthorized}: an operation behind the bearer token. */
  public static final String UNAUTHORIZED = "Unauthorized";

  /** 404 {@code unknown_user}. */
  public static final String UNKNOWN_USER = "UnknownUser";

  /**
   * 429 {@code rate_limited}: identity lookups per requester (identity keys, device lists), with
   * {@code Retry-After}.
   */
  public static final String IDENTITY_LOOKUPS_LIMITED = "IdentityLookupsLimited";

  /** 413 {@code body_too_large}: an operation with a request body. */
  public static final String BODY_TOO_LARGE = "BodyTooLarge";

  /** 500 {@code server_error}: any operation. */
  public static final String SERVER_ERROR = "ServerError";

  private ProblemResponses() {}
}
