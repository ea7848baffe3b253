package com.securecom.server.channel;

import com.securecom.protocol.channel.CloseCodes;
import com.securecom.server.audit.AuditLog;
import com.securecom.server.channel.container.InboundFence;
import com.securecom.server.channel.container.UpgradeClient;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.RelayMetrics;
import com.securecom.server.relay.RelayService;
import com.securecom.server.relay.RelaySettings;
import com.securecom.server.session.SessionService;
import com.securecom.server.web.ClientAddress;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Clock;

/**
 * Everything a {@link ClientConnection} needs, injected once; opens a connection for each new
 * socket.
 */
@ApplicationScoped
public class ConnectionServices {
  private ServerIdentity identity;
  private SessionService sessions;
  private RelayService relay;
  private ConnectionRegistry registry;
  private RelaySettings settings;
  private RelayMetrics metrics;
  private AuditLog audit;
  private DeviceRepository devices;
  private DeviceSets deviceSets;
  private Clock clock;
  private ClientAddress clientAddress;
  private ConnectionThrottle throttle;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedScheduledExecutorService scheduler;

  private ClientConnection.Shared shared;

  protected ConnectionServices() {}

  @Inject
  public ConnectionServices(
      ServerIdentity identity,
      SessionService sessions,
      RelayService relay,
      ConnectionRegistry registry,
      RelaySettings settings,
      RelayMetrics metrics,
      AuditLog audit,
      DeviceRepository devices,
      DeviceSets deviceSets,
      Clock clock,
      ClientAddress clientAddress,
      ConnectionThrottle throttle) {
    this.identity = identity;
    this.sessions = sessions;
    this.relay = relay;
    this.registry = registry;
    this.settings = settings;
    this.metrics = metrics;
    this.audit = audit;
    this.devices = devices;
    this.deviceSets = deviceSets;
    this.clock = clock;
    this.clientAddress = clientAddress;
    this.throttle = throttle;
  }

  @PostConstruct
  void share() {
    shared =
        new ClientConnection.Shared(
            identity,
            sessions,
            relay,
            registry,
            settings,
            metrics,
            audit,
            devices,
            deviceSets,
            clock,
            scheduler);
  }

  /**
   * A connection for a new socket; {@code fence} is the one the container reads it through (null if
   * none). The socket first takes one attempt of its client's address ({@link ConnectionThrottle},
   * the address by {@link ClientAddress}'s rule, as for REST): over the rate, the connection is
   * closed with 4429 at once and never does a handshake (it reads nothing more).
   */
  ClientConnection open(Session session, InboundFence fence) {
    session.setMaxIdleTimeout(settings.idleTimeout().toMillis());
    ClientConnection connection = new ClientConnection(session, shared, fence);
    String address =
        UpgradeClient.of(session)
            .map(client -> clientAddress.of(client.peer(), client::header))
            .orElse(null);
    if (!throttle.tryConnect(address)) {
      audit.rateLimited("channel", address);
      connection.close(CloseCodes.RATE_LIMITED, "too many connections; try again later");
    }
    return connection;
  }
}
