package com.securecom.server.channel.container;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.glassfish.tyrus.core.RequestContext;

/**
 * Who sent a WebSocket upgrade, as the container saw it: the direct peer's address and the
 * request's header lines. The standard API gives an endpoint neither; the endpoint's {@link
 * Recorder} takes them from the upgrade request (the peer's address from Tyrus's {@code
 * RequestContext}) and keeps them in the handshake's user properties, which Tyrus 2 makes per
 * connection and copies into the connection's {@link Session}, where {@link #of(Session)} reads
 * them back when the connection opens. Which address is the client's (a trusted proxy's header) is
 * for the channel to decide, by the server's one rule for it.
 *
 * @param peer the direct peer's IP literal; null if the container did not say
 * @param headers each header name (case-insensitive) to its values, in the order received
 */
public record UpgradeClient(String peer, Map<String, List<String>> headers) {
  private static final String PROPERTY = UpgradeClient.class.getName();

  public UpgradeClient {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> copy.put(name, values == null ? List.of() : List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * The values of the header {@code name} (case-insensitive), in order; empty if it was not sent.
   */
  public List<String> header(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /**
   * The client of the connection {@code session}, as its upgrade was recorded; empty if it was not.
   */
  public static Optional<UpgradeClient> of(Session session) {
    Object recorded = session.getUserProperties().get(PROPERTY);
    return recorded instanceof UpgradeClient client ? Optional.of(client) : Optional.empty();
  }

  /** The client that sent {@code request}. */
  static UpgradeClient of(HandshakeRequest request) {
    String peer = request instanceof RequestContext tyrus ? tyrus.getRemoteAddr() : null;
    Map<String, List<String>> headers = request.getHeaders();
    return new UpgradeClient(peer, headers == null ? Map.of() : headers);
  }

  /**
   * The configurator of an endpoint that needs its clients' addresses: records each upgrade's
   * {@link UpgradeClient}, and leaves everything else (the endpoint's instance, with its injection;
   * origin and subprotocol checks) to the container's default.
   */
  public static final class Recorder extends ServerEndpointConfig.Configurator {
    @Override
    public void modifyHandshake(
        ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
      super.modifyHandshake(config, request, response);
      config.getUserProperties().put(PROPERTY, UpgradeClient.of(request));
    }
  }
}
