package com.securecom.protocol.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes one JSON object of string and integer members, and arrays of integers or of such objects
 * (version 4's {@code copies} and {@code devices}), byte for byte as Parsson's writer does (the
 * codec's encoder until it cost more than the channel's encryption: a writer, an 8 KiB encoder
 * buffer and a map per message): no whitespace, members in the order added, strings with {@code "}
 * and {@code \} escaped, the controls below U+0020 as backslash and {@code b f n r t}, or as
 * backslash, {@code u00} and two lowercase hex digits, everything else as it is, in UTF-8 (an
 * unpaired surrogate becomes {@code ?}). Not thread-safe: one per message.
 */
final class FlatJsonWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The UTF-8 written so far: ASCII straight in, so a message is copied once, at the end. */
  private byte[] out = new byte[256];

  private int size;

  /** False right after an opening bracket: the next member or element needs no comma. */
  private boolean afterValue;

  FlatJsonWriter() {
    out[size++] = '{';
  }

  /** Adds {@code "name":"value"}; a null value is refused as Parsson's builder refuses it. */
  FlatJsonWriter add(String name, String value) {
    Objects.requireNonNull(value, "value");
    name(name);
    string(value);
    afterValue = true;
    return this;
  }

  FlatJsonWriter add(String name, long value) {
    name(name);
    ascii(Long.toString(value));
    afterValue = true;
    return this;
  }

  /** Opens the array member {@code name}; close it with {@link #endArray}. */
  FlatJsonWriter beginArray(String name) {
    name(name);
    return open('[');
  }

  /** Opens an object element of the open array; close it with {@link #endObject}. */
  FlatJsonWriter beginObject() {
    comma();
    return open('{');
  }

  /** Adds an integer element to the open array. */
  FlatJsonWriter element(long value) {
    comma();
    ascii(Long.toString(value));
    afterValue = true;
    return this;
  }

  FlatJsonWriter endObject() {
    return close('}');
  }

  FlatJsonWriter endArray() {
    return close(']');
  }

  private FlatJsonWriter open(char bracket) {
    room(1);
    out[size++] = (byte) bracket;
    afterValue = false;
    return this;
  }

  private FlatJsonWriter close(char bracket) {
    room(1);
    out[size++] = (byte) bracket;
    afterValue = true;
    return this;
  }

  /** The object, closed, in UTF-8. */
  byte[] toUtf8() {
    room(1);
    out[size++] = '}';
    return Arrays.copyOf(out, size);
  }

  private void name(String name) {
    comma();
    string(name);
    room(1);
    out[size++] = ':';
  }

  private void comma() {
    if (afterValue) {
      room(1);
      out[size++] = ',';
    }
  }

  /**
   * The string in UTF-8 at once (the JDK's bulk encoder; a lone surrogate becomes '?', as the
   * writer this replaces wrote it), then the bytes that need it escaped: multi-byte sequences never
   * hold an ASCII byte, so every byte below 0x80 is its own character.
   */
  private void string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    room(utf8.length + 2);
    out[size++] = '"';
    int start = 0;
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b < 0 || (b >= 0x20 && b != '"' && b != '\\')) {
        continue;
      }
      System.arraycopy(utf8, start, out, size, i - start);
      size += i - start;
      room(utf8.length - i + 6); // this byte as up to six, the rest, the closing quote
      out[size++] = '\\';
      switch (b) {
        case '"', '\\' -> out[size++] = b;
        case '\b' -> out[size++] = 'b';
        case '\f' -> out[size++] = 'f';
        case '\n' -> out[size++] = 'n';
        case '\r' -> out[size++] = 'r';
        case '\t' -> out[size++] = 't';
        default -> {
          out[size++] = 'u';
          out[size++] = '0';
          out[size++] = '0';
          out[size++] = HEX[b >> 4];
          out[size++] = HEX[b & 0xF];
        }
      }
      start = i + 1;
    }
    System.arraycopy(utf8, start, out, size, utf8.length - start);
    size += utf8.length - start;
    out[size++] = '"';
  }

  private void ascii(String digits) {
    room(digits.length());
    for (int i = 0; i < digits.length(); i++) {
      out[size++] = (byte) digits.charAt(i);
    }
  }

  /** Makes room for {@code more} bytes. */
  private void room(int more) {
    if (size + more > out.length) {
      out = Arrays.copyOf(out, Math.max(size + more, 2 * out.length));
    }
  }
}
