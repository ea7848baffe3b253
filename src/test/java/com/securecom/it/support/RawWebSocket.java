package com.securecom.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * A WebSocket client written on a bare TCP socket, for what a real client library will not do:
 * upgrade requests of any shape, frame headers sent without their payload, and a peer that stops
 * reading. Frames are masked, as a client's must be (RFC 6455 section 5.3).
 */
public final class RawWebSocket implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** The status line and headers of the server's answer to the upgrade. */
  public final String response;

  private RawWebSocket(Socket socket, String response) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.response = response;
  }

  /** A fresh valid {@code Sec-WebSocket-Key}. */
  public static String newKey() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /**
   * Opens a socket to the channel of {@code api} and sends an upgrade request with this method and
   * key, and these more header lines ({@code "X-Forwarded-For: 192.0.2.7"}).
   */
  public static RawWebSocket upgrade(
      Api api, String method, String key, int receiveBuffer, String... moreHeaders) {
    URI uri = api.channelUri();
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      socket.setSoTimeout(20_000);
      String request =
          method
              + " "
              + uri.getPath()
              + " HTTP/1.1\r\n"
              + "Host: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Sec-WebSocket-Key: "
              + key
              + "\r\n"
              + "Sec-WebSocket-Version: 13\r\n"
              + Arrays.stream(moreHeaders).map(h -> h + "\r\n").collect(Collectors.joining())
              + (method.equals("GET") ? "" : "Content-Length: 0\r\n")
              + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new RawWebSocket(socket, readHead(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RawWebSocket upgrade(Api api) {
    return upgrade(api, "GET", newKey(), 0);
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 65_536 && !head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** The HTTP status of the upgrade answer. */
  public int status() {
    String[] parts = response.split(" ", 3);
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  /** Writes a masked binary frame header declaring {@code length} bytes, and no payload. */
  public void sendHeader(int opcode, boolean fin, long length) {
    write(header(opcode, fin, length, new byte[4]));
  }

  /** Writes one whole masked binary frame. */
  public void sendBinary(byte[] payload) {
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    write(maskedFrame(0x2, true, payload, mask));
  }

  /**
   * Writes one whole binary frame without a masking key, as only a server may send it (RFC 6455
   * section 5.1).
   */
  public void sendUnmaskedBinary(byte[] payload) {
    write(unmaskedFrame(0x2, true, payload));
  }

  /** A whole frame without a masking key (a server's frame): its header and the payload. */
  public static byte[] unmaskedFrame(int opcode, boolean fin, byte[] payload) {
    byte[] header = header(opcode, fin, payload.length, new byte[4]);
    header[1] &= 0x7F;
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(header, 0, header.length - 4);
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  /** A whole masked client frame: its header, {@code mask}, and the payload XORed with it. */
  public static byte[] maskedFrame(int opcode, boolean fin, byte[] payload, byte[] mask) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes(header(opcode, fin, payload.length, mask));
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /** Writes raw bytes. */
  public void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A masked client frame header (RFC 6455 section 5.2) declaring {@code length} payload bytes,
   * with the shortest length encoding; {@code mask} is the 4-byte masking key written after it.
   */
  public static byte[] header(int opcode, boolean fin, long length, byte[] mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      out.write(0x80 | (int) length);
    } else if (length <= 0xFFFF) {
      out.write(0x80 | 126);
      out.write((int) (length >>> 8));
      out.write((int) length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >>> shift));
      }
    }
    out.writeBytes(mask);
    return out.toByteArray();
  }

  /** One frame from the server: its opcode and payload (servers do not mask). */
  public record Frame(int opcode, byte[] payload) {
    /** The close code of a close frame. */
    public int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  /** Reads the next frame, or null at the end of the stream. */
  public Frame readFrame() {
    try {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.read();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      byte[] payload = in.readNBytes((int) length);
      return new Frame(b0 & 0x0F, payload);
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads frames until a close frame (its code) or the end of the stream (-1). */
  public int awaitCloseCode() {
    for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
      if (frame.opcode() == 0x8) {
        return frame.payload().length >= 2 ? frame.closeCode() : 1005;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed
    }
  }
}
