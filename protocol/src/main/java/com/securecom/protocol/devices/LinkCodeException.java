package com.securecom.protocol.devices;

/**
 * A link code that cannot be used, and which of its checks failed first ({@link LinkCode#read}).
 */
public final class LinkCodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The checks of {@link LinkCode#read}, in the order they are made. */
  public enum Reason {
    /** Not 80 characters of the alphabet once separators are dropped: not a link code. */
    UNREADABLE,
    /** The checksum does not match: a typo (or not a link code). */
    CHECKSUM,
    /** Another version byte: made by a newer SecureCom. */
    VERSION,
    /** The key is not a canonical X25519 key of large order: not a link code. */
    KEY
  }

  private final Reason reason;

  public LinkCodeException(Reason reason) {
    super("not a usable link code: " + reason.name().toLowerCase(java.util.Locale.ROOT));
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
