package com.securecom.bench;

import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.server.device.Device;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.devicelist.CachedDeviceSets;
import com.securecom.server.devicelist.DeviceListRepository;
import com.securecom.server.persistence.Transaction;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.FastPath;
import com.securecom.server.relay.GroupCommit;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.relay.OtherNodes;
import com.securecom.server.relay.QueueLimits;
import com.securecom.server.relay.RelayMetrics;
import com.securecom.server.relay.RelayService;
import com.securecom.server.relay.RelaySettings;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import jakarta.annotation.PostConstruct;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The server's relay as the container wires it, with the real classes (settings at their defaults,
 * {@link FastPath}, {@link ConnectionRegistry}, {@link CachedDeviceSets}, {@link RelayMetrics} over
 * a registry of counters, {@link com.securecom.server.relay.Answers}), but no container, database
 * or network: the fast path never writes, so the group commit is not started and the repository
 * refuses every call (a message that left the fast path would be answered {@code unavailable},
 * which the benchmark checks for). The fast path's sweeper is not started either: a window ends
 * only if its {@code ack} never comes.
 */
final class InProcessRelay {
  final RelaySettings settings = new RelaySettings();
  final FastPath fastPath = new FastPath(settings, Clock.systemUTC());
  final ConnectionRegistry connections = new ConnectionRegistry(new NoOtherNodes());
  final RelayService relay;

  /** {@code users}: the accounts that exist. */
  InProcessRelay(String... users) {
    RelayMetrics metrics = new RelayMetrics(counters(), connections, new NoDatabase(), fastPath);
    postConstruct(metrics);
    DeviceSets sets =
        new CachedDeviceSets(new NoLists(), new Devices1(List.of(users)), Clock.systemUTC());
    relay =
        new RelayService(
            new NoDatabase(),
            sets,
            new GroupCommit(new NoDatabase(), settings, metrics),
            connections,
            new NoOtherNodes(),
            settings,
            metrics,
            Clock.systemUTC(),
            fastPath);
  }

  /** Runs the bean's {@code @PostConstruct} method, as the container does. */
  private static void postConstruct(Object bean) {
    for (Method m : bean.getClass().getDeclaredMethods()) {
      if (m.isAnnotationPresent(PostConstruct.class)) {
        try {
          m.setAccessible(true);
          m.invoke(bean);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("@PostConstruct of " + bean.getClass().getName(), e);
        }
      }
    }
  }

  /**
   * A MicroProfile registry whose counters count (with a {@link LongAdder}, as Payara's do) and
   * whose other metrics are not kept: the relay's fast path only counts.
   */
  private static MetricRegistry counters() {
    return (MetricRegistry)
        Proxy.newProxyInstance(
            MetricRegistry.class.getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (proxy, method, args) -> method.getName().equals("counter") ? new Adder() : null);
  }

  private static final class Adder implements Counter {
    private final LongAdder count = new LongAdder();

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
  }

  /** No account has published a device list: every set is legacy, serial 0. */
  private static final class NoLists implements DeviceListRepository {
    @Override
    public Optional<SignedDeviceList> find(String username) {
      return Optional.empty();
    }

    @Override
    public long serial(String username) {
      return 0;
    }

    @Override
    public boolean compareAndSet(
        Transaction tx,
        String username,
        long expectedSerial,
        SignedDeviceList list,
        long serial,
        long now) {
      throw new UnsupportedOperationException();
    }
  }

  /** The accounts that exist, each with device 1 only. */
  private record Devices1(List<String> names) implements DeviceRepository {
    @Override
    public List<Integer> deviceIds(String username) {
      return names.contains(username) ? List.of(DeviceAddress.FIRST_ID) : List.of();
    }

    @Override
    public boolean add(Transaction tx, DeviceAddress device, long createdAt) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean add(Transaction tx, DeviceAddress device, long createdAt, String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean lock(Transaction tx, DeviceAddress device) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean seen(DeviceAddress device, long at) {
      return true;
    }

    @Override
    public List<Device> devices(String username) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> keepOnly(Transaction tx, String username, Collection<Integer> kept) {
      throw new UnsupportedOperationException();
    }
  }

  /** The fast path writes nothing: any call here is a benchmark that measures something else. */
  private static final class NoDatabase implements MessageRepository {
    @Override
    public List<Outcome> writeAll(List<? extends RelayWrite> writes, QueueLimits limits) {
      throw new IllegalStateException("the fast path wrote");
    }

    @Override
    public List<StoredMessage> pending(DeviceAddress recipient, long afterSeq, int limit) {
      throw new IllegalStateException("the fast path read the queue");
    }

    @Override
    public List<com.securecom.server.relay.Receipt> receipts(DeviceAddress sender, int limit) {
      throw new IllegalStateException("the fast path read receipts");
    }

    @Override
    public int forgetDevices(String username, java.util.Collection<Integer> deviceIds) {
      return 0;
    }

    @Override
    public com.securecom.server.device.DeviceQueues.Queued queued(DeviceAddress recipient) {
      throw new IllegalStateException("the fast path read a queue's size");
    }

    @Override
    public int purgeExpired(long now) {
      return 0;
    }

    @Override
    public long countPending() {
      return 0;
    }
  }

  private static final class NoOtherNodes implements OtherNodes {
    @Override
    public void deviceLinked(String username) {}

    @Override
    public void connectedHere(DeviceAddress device) {}

    @Override
    public void disconnectedHere(DeviceAddress device) {}

    @Override
    public void deliver(StoredMessage message) {
      throw new IllegalStateException("a fast-path message went to another node");
    }

    @Override
    public void receipt(DeviceAddress sender, com.securecom.server.relay.Receipt receipt) {}

    @Override
    public void devicesRemoved(String username, java.util.List<Integer> deviceIds) {}

    @Override
    public void revoked(byte[] tokenHash) {}
  }
}
