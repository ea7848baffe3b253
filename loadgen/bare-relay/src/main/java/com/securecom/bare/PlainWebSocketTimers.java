package com.securecom.bare;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Gives the baseline the product's container configuration: Tyrus's per-frame idle timers on a
 * plain executor instead of Payara's managed one (what {@code
 * com.securecom.server.channel.container.WebSocketTimers} does in the product; a copy, because this
 * WAR must stay free of the product's code). Start the server with {@code
 * -Dbare.managed-timers=true} to measure the container out of the box instead. On a container that
 * is not Tyrus (WildFly) there is no such field and nothing changes.
 */
@WebListener
public class PlainWebSocketTimers implements ServletContextListener {
  @Resource ManagedThreadFactory threads;

  private ScheduledThreadPoolExecutor executor;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    if (Boolean.getBoolean("bare.managed-timers")) {
      return;
    }
    Object container =
        event.getServletContext().getAttribute("jakarta.websocket.server.ServerContainer");
    for (Class<?> type = container == null ? null : container.getClass();
        type != null;
        type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField("managedScheduledExecutorService");
        field.setAccessible(true);
        if (field.get(container) instanceof ManagedScheduledExecutorService) {
          executor = new ScheduledThreadPoolExecutor(2, threads);
          executor.setRemoveOnCancelPolicy(true);
          field.set(container, (ScheduledExecutorService) executor);
          event.getServletContext().log("bare relay: WebSocket timers on a plain executor");
        }
        return;
      } catch (NoSuchFieldException notHere) {
        // look in the superclass
      } catch (ReflectiveOperationException | RuntimeException refused) {
        event.getServletContext().log("bare relay: container timers left as they are: " + refused);
        return;
      }
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
