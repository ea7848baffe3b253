package com.securecom.server.channel.container;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Checks WebSocket upgrade requests to {@code /ws} before the container answers them, and makes the
 * container read the upgraded connection through the {@link InboundFence}. Tyrus 2.1 answers 101 to
 * an upgrade by POST and to a {@code Sec-WebSocket-Key} that is not base64 of 16 bytes; RFC 6455
 * section 4.2.1 requires GET and that key. Refused here: a method other than GET (405, {@code
 * Allow: GET}), and a missing or repeated {@code Upgrade: websocket}, a {@code Connection} without
 * {@code upgrade}, or a key that is not exactly 24 characters of canonical base64 of 16 bytes
 * (400). Each answer is a problem body with code {@code invalid_upgrade}. Requests without an
 * {@code Upgrade} header or a key pass untouched.
 *
 * <p>Declared filters run before the one Tyrus adds for itself (which it maps "after any declared
 * filter").
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class UpgradeFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getHeader("Upgrade") == null && request.getHeader("Sec-WebSocket-Key") == null) {
      chain.doFilter(request, response);
      return;
    }
    if (!"GET".equals(request.getMethod())) {
      response.setHeader("Allow", "GET");
      refuse(
          response,
          HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          "Method Not Allowed",
          "a WebSocket upgrade must be a GET request");
      return;
    }
    String problem = problemWith(request);
    if (problem != null) {
      refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Bad Request", problem);
      return;
    }
    chain.doFilter(new FencedUpgrade(request), response);
  }

  /** What is wrong with an upgrade request by GET, or null. */
  static String problemWith(HttpServletRequest request) {
    List<String> upgrade = Collections.list(request.getHeaders("Upgrade"));
    if (upgrade.size() != 1 || !upgrade.get(0).trim().equalsIgnoreCase("websocket")) {
      return "Upgrade must be websocket";
    }
    boolean connectionUpgrade =
        Collections.list(request.getHeaders("Connection")).stream()
            .flatMap(value -> List.of(value.split(",")).stream())
            .anyMatch(token -> token.trim().toLowerCase(Locale.ROOT).equals("upgrade"));
    if (!connectionUpgrade) {
      return "Connection must include upgrade";
    }
    List<String> keys = Collections.list(request.getHeaders("Sec-WebSocket-Key"));
    if (keys.size() != 1 || !isValidKey(keys.get(0))) {
      return "Sec-WebSocket-Key must be the base64 of 16 bytes";
    }
    return null;
  }

  /**
   * Exactly 24 characters of canonical, padded standard base64 that decode to 16 bytes (RFC 6455
   * 4.1).
   */
  static boolean isValidKey(String key) {
    if (key.length() != 24) {
      return false;
    }
    try {
      byte[] nonce = Base64.getDecoder().decode(key);
      return nonce.length == 16 && Base64.getEncoder().encodeToString(nonce).equals(key);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static void refuse(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    String body =
        "{\"type\":\"about:blank\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"code\":\"invalid_upgrade\",\"detail\":\""
            + detail
            + "\"}";
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The request as Tyrus sees it: its upgrade creates a {@link FencedUpgradeHandler}. */
  private static final class FencedUpgrade extends HttpServletRequestWrapper {
    FencedUpgrade(HttpServletRequest request) {
      super(request);
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass)
        throws IOException, ServletException {
      if (handlerClass == TyrusHttpUpgradeHandler.class) {
        return handlerClass.cast(super.upgrade(FencedUpgradeHandler.class));
      }
      return super.upgrade(handlerClass);
    }
  }
}
