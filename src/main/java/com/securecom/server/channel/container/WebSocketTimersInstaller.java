package com.securecom.server.channel.container;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Installs {@link WebSocketTimers} when the application starts, before the first socket can open.
 */
@WebListener
public class WebSocketTimersInstaller implements ServletContextListener {
  // A listener is created by the servlet container (no-argument constructor, field injection).
  @Inject WebSocketTimers timers;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    timers.install(event.getServletContext());
  }
}
