package com.securecom.server.relay;

import com.securecom.server.channel.ServerIdentity;
import com.securecom.server.session.SessionService;
import com.securecom.server.channel.container.InboundFence;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Clock;

/** Everything a {@link ClientConnection} needs, injected once; opens a connection for each new socket. */
@ApplicationScoped
public class ConnectionServices {
  @Inject
  ServerIdentity identity;

  @Inject
  SessionService sessions;

  @Inject
  RelayService relay;

  @Inject
  ConnectionRegistry registry;

  @Inject
  RelaySettings settings;

  @Inject
  RelayMetrics metrics;

  @Inject
  Clock clock;

  @Resource
  ManagedScheduledExecutorService scheduler;

  /** A connection for a new socket; {@code fence} is the one the container reads it through (null if none). */
  ClientConnection open(Session session, InboundFence fence) {
    session.setMaxIdleTimeout(settings.idleTimeout().toMillis());
    return new ClientConnection(session, this, fence);
  }
}
