package com.securecom.server.channel.container;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Moves the WebSocket container's timers off the application server's managed scheduled executor.
 *
 * <p>Why: Tyrus (Payara's WebSocket implementation) re-arms each session's idle timer on every
 * frame, on the {@code java:comp/DefaultManagedScheduledExecutorService} it looked up when the
 * application started. Payara's managed executors capture the caller's context on every schedule,
 * and that capture scans the application's jars for service files: about 230 us of CPU per frame,
 * where the relay's cryptography costs about 1 us. The operator's fix, disabling the server's
 * default managed scheduled executor, makes any CDI application fail to deploy on Payara Micro 6
 * (Weld's {@code ExecutorServicesImpl} needs it at deployment), so the application does what Tyrus
 * itself does when that lookup fails: it gives the container a plain executor ({@link
 * IdleTimerExecutor}, threads from the managed thread factory, so each thread's context is set up
 * once rather than per task).
 *
 * <p>On a container that is not Tyrus, or a Tyrus without that field, nothing is changed and a
 * warning says so; the gauge {@code securecom_websocket_plain_timers} is then 0.
 */
@ApplicationScoped
public class WebSocketTimers {
  private static final Logger LOG = Logger.getLogger(WebSocketTimers.class.getName());
  static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";
  private static final String TYRUS_FIELD = "managedScheduledExecutorService";
  private static final int THREADS = 2;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedThreadFactory threadFactory;

  private MetricRegistry metrics;

  /**
   * The relay's idle timeout (the same key as {@code RelaySettings}; read here so this package
   * needs no relay).
   */
  private Duration idleTimeout;

  private IdleTimerExecutor executor;
  private volatile boolean installed;

  protected WebSocketTimers() {}

  @Inject
  public WebSocketTimers(
      MetricRegistry metrics,
      @ConfigProperty(name = "securecom.channel.idle-timeout", defaultValue = "PT5M")
          Duration idleTimeout) {
    this.metrics = metrics;
    this.idleTimeout = idleTimeout;
  }

  /** Installs the plain executor into the servlet context's WebSocket container (once). */
  synchronized void install(ServletContext context) {
    if (executor != null) {
      return;
    }
    executor = new IdleTimerExecutor(THREADS, threadFactory);
    Object container = context.getAttribute(SERVER_CONTAINER);
    if (container instanceof ServerContainer websockets) {
      // A session starts with the container's default idle timeout, then the relay sets its own.
      // With the default
      // of 0 Tyrus arms a timer due at once, and if that runs after the relay's setting it closes
      // the brand-new
      // session ("closed by the container because of the idle timeout"): seen under load. Same
      // value, no race.
      websockets.setDefaultMaxSessionIdleTimeout(idleTimeout.toMillis());
    }
    installed = container != null && replaceManagedTimerExecutor(container, executor);
    if (installed) {
      LOG.info("WebSocket timers run on a plain executor (not the managed scheduled executor)");
    } else {
      LOG.warning(
          "WebSocket container "
              + (container == null ? "missing" : container.getClass().getName())
              + " not recognised: its timers stay where the container put them");
    }
    metrics.gauge(
        Metadata.builder()
            .withName("securecom_websocket_plain_timers")
            .withDescription(
                "1 if the WebSocket container's timers run on the relay's plain executor")
            .build(),
        this,
        t -> t.installed ? 1 : 0);
    metrics.gauge(
        Metadata.builder()
            .withName("securecom_websocket_timer_tasks")
            .withDescription("Timer tasks the WebSocket container scheduled on the plain executor")
            .build(),
        executor,
        IdleTimerExecutor::scheduledTasks);
  }

  /**
   * Sets Tyrus's {@code BaseContainer.managedScheduledExecutorService} to {@code replacement};
   * sessions opened from then on take their timer executor from it. True if the field was found and
   * held a managed executor (or ours).
   */
  static boolean replaceManagedTimerExecutor(
      Object container, ScheduledExecutorService replacement) {
    for (Class<?> type = container.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(TYRUS_FIELD);
        if (!ScheduledExecutorService.class.isAssignableFrom(field.getType())) {
          return false;
        }
        field.setAccessible(true);
        Object current = field.get(container);
        if (current != null && !(current instanceof ManagedScheduledExecutorService)) {
          return current == replacement;
        }
        field.set(container, replacement);
        return true;
      } catch (NoSuchFieldException notHere) {
        // look in the superclass
      } catch (ReflectiveOperationException | RuntimeException refused) {
        LOG.warning("Could not replace the WebSocket container's timer executor: " + refused);
        return false;
      }
    }
    return false;
  }

  @PreDestroy
  void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
