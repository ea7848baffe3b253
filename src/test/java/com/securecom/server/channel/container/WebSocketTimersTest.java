package com.securecom.server.channel.container;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Proxy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WebSocketTimersTest {
  /**
   * Shaped like Tyrus's BaseContainer: the managed executor it looked up, in a private final field.
   */
  static class TyrusLikeBase {
    private final ScheduledExecutorService managedScheduledExecutorService;

    TyrusLikeBase(ScheduledExecutorService executor) {
      this.managedScheduledExecutorService = executor;
    }

    ScheduledExecutorService timers() {
      return managedScheduledExecutorService;
    }
  }

  static class TyrusLikeServerContainer extends TyrusLikeBase {
    TyrusLikeServerContainer(ScheduledExecutorService executor) {
      super(executor);
    }
  }

  private static ManagedScheduledExecutorService managedExecutor() {
    return (ManagedScheduledExecutorService)
        Proxy.newProxyInstance(
            WebSocketTimersTest.class.getClassLoader(),
            new Class<?>[] {ManagedScheduledExecutorService.class},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void replacesTheManagedExecutorInTheContainersSuperclass() {
    var container = new TyrusLikeServerContainer(managedExecutor());
    var plain = new IdleTimerExecutor(1, Executors.defaultThreadFactory());
    try {
      assertThat(WebSocketTimers.replaceManagedTimerExecutor(container, plain)).isTrue();
      assertThat(container.timers()).isSameAs(plain);
    } finally {
      plain.shutdownNow();
    }
  }

  @Test
  void leavesAContainerWithoutTheFieldAlone() {
    var plain = new IdleTimerExecutor(1, Executors.defaultThreadFactory());
    try {
      assertThat(WebSocketTimers.replaceManagedTimerExecutor(new Object(), plain)).isFalse();
    } finally {
      plain.shutdownNow();
    }
  }

  @Test
  void leavesAnUnmanagedExecutorAlone_butRecognisesOurOwn() {
    ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor();
    var plain = new IdleTimerExecutor(1, Executors.defaultThreadFactory());
    try {
      var container = new TyrusLikeServerContainer(own);
      assertThat(WebSocketTimers.replaceManagedTimerExecutor(container, plain)).isFalse();
      assertThat(container.timers()).isSameAs(own);
      var ours = new TyrusLikeServerContainer(plain);
      assertThat(WebSocketTimers.replaceManagedTimerExecutor(ours, plain)).isTrue();
    } finally {
      own.shutdownNow();
      plain.shutdownNow();
    }
  }

  @Test
  void countsWhatItSchedules_andForgetsCancelledTimers() {
    var plain = new IdleTimerExecutor(1, Executors.defaultThreadFactory());
    try {
      for (int i = 0; i < 100; i++) {
        plain.schedule(() -> {}, 5, TimeUnit.MINUTES).cancel(false);
      }
      assertThat(plain.scheduledTasks()).isEqualTo(100);
      assertThat(plain.getQueue()).isEmpty();
    } finally {
      plain.shutdownNow();
    }
  }
}
