package com.securecom.server.keys;

/** An upload of one-time prekeys that would overfill the pool or reuses a stored key id. */
public class PreKeyPoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean conflict;
  private final String field;

  private PreKeyPoolException(String message, boolean conflict, String field) {
    super(message);
    this.conflict = conflict;
    this.field = field;
  }

  static PreKeyPoolException overfull(long stored, int uploaded, int max) {
    return new PreKeyPoolException(
        "at most "
            + max
            + " one-time prekeys may be stored; "
            + stored
            + " are stored and "
            + uploaded
            + " were uploaded",
        false,
        "oneTimePreKeys");
  }

  static PreKeyPoolException duplicateKeyId() {
    return new PreKeyPoolException(
        "a one-time prekey with one of these keyIds is already stored", true, "oneTimePreKeys");
  }

  /** The same failure for a request whose array of keys has another name. */
  public PreKeyPoolException at(String otherField) {
    return new PreKeyPoolException(getMessage(), conflict, otherField);
  }

  /** True for a key id that is already stored (409), false for an overfull pool (400). */
  public boolean isConflict() {
    return conflict;
  }

  /** The request's array of one-time prekeys. */
  public String field() {
    return field;
  }
}
