package com.securecom.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.channel.CloseCodes;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

/**
 * The channel-closed counters exist from deployment, so a close triggered on a thread of the data
 * grid (a logout, removal or link on another node), where the container's metrics cannot make a
 * counter, only increments one.
 */
class AuditLogTest {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final AtomicBoolean deployed = new AtomicBoolean(true);

  /** A registry that, like Payara's outside the application's threads, fails once not deployed. */
  private MetricRegistry registry() {
    return (MetricRegistry)
        Proxy.newProxyInstance(
            MetricRegistry.class.getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("counter")) {
                return null;
              }
              if (!deployed.get()) {
                throw new NullPointerException("no application environment on this thread");
              }
              StringBuilder key = new StringBuilder();
              for (Object arg : args) {
                if (arg instanceof Tag[] tags) {
                  for (Tag t : tags) {
                    key.append(t.getTagName()).append('=').append(t.getTagValue());
                  }
                } else if (arg instanceof Tag t) {
                  key.append(t.getTagName()).append('=').append(t.getTagValue());
                }
              }
              LongAdder count = counts.computeIfAbsent(key.toString(), k -> new LongAdder());
              return new Counter() {
                @Override
                public void inc() {
                  count.increment();
                }

                @Override
                public void inc(long n) {
                  count.add(n);
                }

                @Override
                public long getCount() {
                  return count.sum();
                }
              };
            });
  }

  @Test
  void aCloseCountedOnAThreadWithoutTheApplicationsContext_usesTheCounterMadeAtDeployment() {
    AuditLog audit = new AuditLog(registry());
    audit.register();

    deployed.set(false);
    audit.channelClosed(CloseCodes.UPGRADE_REQUIRED);
    audit.channelClosed(CloseCodes.DEVICE_REMOVED);
    audit.channelClosed(CloseCodes.UNAUTHORIZED);

    assertThat(counts.get("code=4426").sum()).isEqualTo(1);
    assertThat(counts.get("code=4410").sum()).isEqualTo(1);
    assertThat(counts.get("code=4401").sum()).isEqualTo(1);
  }
}
