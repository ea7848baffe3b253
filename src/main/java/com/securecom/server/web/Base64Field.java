package com.securecom.server.web;

import com.securecom.protocol.crypto.Bytes;

/** Decodes a base64 request field of a fixed length, or fails naming the field. */
public final class Base64Field {
  private Base64Field() {}

  public static byte[] decode(String field, String value, int length) {
    try {
      byte[] bytes = Bytes.fromBase64(value);
      if (bytes.length == length) {
        return bytes;
      }
    } catch (IllegalArgumentException notBase64) {
      // reported below
    }
    throw new InvalidRequestException(field, field + " must be standard base64 of " + length + " bytes");
  }
}
