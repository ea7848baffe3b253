package com.securecom.server.channel.container;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plain scheduled executor for the WebSocket container's timers. Tyrus re-arms a session's idle
 * timer on every frame received and sent; here that costs a heap insertion and (with
 * remove-on-cancel) a removal, and nothing captures or restores a thread context. Counts what it
 * schedules, so a test can see relayed frames pass through it.
 */
final class IdleTimerExecutor extends ScheduledThreadPoolExecutor {
  private final LongAdder scheduled = new LongAdder();

  IdleTimerExecutor(int threads, ThreadFactory threadFactory) {
    super(threads, threadFactory);
    setRemoveOnCancelPolicy(true);
    setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    scheduled.increment();
    return super.schedule(command, delay, unit);
  }

  /** Tasks scheduled with a delay since start. */
  long scheduledTasks() {
    return scheduled.sum();
  }
}
