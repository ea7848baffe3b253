package com.securecom.protocol.groups;

/** A group id or state that breaks the encoding's rules; the message names the first broken one. */
public final class MalformedGroupException extends Exception {
  public MalformedGroupException(String message) {
    super(message);
  }
}
