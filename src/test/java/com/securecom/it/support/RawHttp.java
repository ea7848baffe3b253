package com.securecom.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: for what a real client library would
 * refuse to send (malformed paths, another {@code Host}) or hide (the status line's reason phrase).
 */
public final class RawHttp {
  private final String host;
  private final int port;
  private final String from;
  private final SSLSocketFactory tls;

  public RawHttp(URL deployment) {
    this(deployment.getHost(), deployment.getPort(), null, null);
  }

  private RawHttp(String host, int port, String from, SSLSocketFactory tls) {
    this.host = host;
    this.port = port;
    this.from = from;
    this.tls = tls;
  }

  /**
   * The same, from another local address (e.g. 127.0.0.2: every 127/8 address is this machine's
   * loopback).
   */
  public RawHttp from(String localAddress) {
    return new RawHttp(host, port, localAddress, tls);
  }

  /** The same over TLS, trusting what {@code context} trusts (HTTP/1.1: no ALPN is offered). */
  public RawHttp overTls(SSLContext context) {
    return new RawHttp(host, port, from, context.getSocketFactory());
  }

  /** A response: the status line as sent, headers (names lower-cased), and the body as text. */
  public record Response(String statusLine, Map<String, String> headers, String body) {
    public int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code method target} with {@code headers} (each "Name: value") and an optional body;
   * reads to EOF.
   */
  public Response send(String method, String target, String body, String... headers) {
    StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    boolean hostGiven = false;
    for (String h : headers) {
      hostGiven |= h.toLowerCase(Locale.ROOT).startsWith("host:");
      request.append(h).append("\r\n");
    }
    if (!hostGiven) {
      request.append("Host: ").append(host).append(':').append(port).append("\r\n");
    }
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      request.append("Content-Length: ").append(content.length).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    try (Socket plain = new Socket()) {
      if (from != null) {
        plain.bind(new InetSocketAddress(from, 0));
      }
      plain.connect(new InetSocketAddress(host, port), 10_000);
      plain.setSoTimeout(30_000);
      try (Socket socket = tls == null ? plain : tls.createSocket(plain, host, port, true)) {
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(content);
        socket.getOutputStream().flush();
        return parse(socket.getInputStream().readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] rest = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
    String body =
        "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
            ? dechunk(rest)
            : new String(rest, StandardCharsets.UTF_8);
    return new Response(lines[0], headers, body);
  }

  private static String dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = indexOf(chunked, i);
      int size =
          Integer.parseInt(
              new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(),
              16);
      if (size == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, size);
      i = lineEnd + 2 + size + 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }
}
