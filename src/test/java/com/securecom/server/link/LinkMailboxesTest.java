package com.securecom.server.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Link mailboxes on the real repository: one message, one writer, one taker, then gone. */
class LinkMailboxesTest {
  private static final DeviceAddress ALICE = DeviceAddress.first("alice");

  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private InMemoryDatabase db;
  private JpaMailboxRepository repository;
  private LinkMailboxes mailboxes;

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    repository = new JpaMailboxRepository(db.database());
    mailboxes = service(10, 10_000, 10);
  }

  @AfterEach
  void stop() {
    db.close();
  }

  private LinkMailboxes service(int perAddress, int maxOpen, int putsPerDay) {
    return new LinkMailboxes(
        repository,
        clock,
        new LinkMailboxes.Limits(Duration.ofMinutes(10), perAddress, maxOpen, putsPerDay));
  }

  @Test
  void aMailbox_isEmptyUntilFilled_thenGivesItsMessageOnce_andIsGone() {
    byte[] id = id(1);
    long expiresAt = mailboxes.open(id, "n");

    assertThat(expiresAt).isEqualTo(clock.millis() + Duration.ofMinutes(10).toMillis());
    assertThat(mailboxes.take(id, "n")).isEmpty();
    mailboxes.put(ALICE, id, new byte[] {1, 2, 3});
    assertThat(mailboxes.take(id, "n"))
        .hasValueSatisfying(m -> assertThat(m).containsExactly(1, 2, 3));
    assertThatThrownBy(() -> mailboxes.take(id, "n")).isInstanceOf(UnknownLinkException.class);
    assertThat(db.rows("SELECT COUNT(*) FROM link_mailbox"))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(0L);
  }

  /** The database holds no id: whoever reads it cannot open, fill or empty a mailbox. */
  @Test
  void aMailboxIsStoredUnderTheHashOfItsId_only() {
    byte[] id = id(5);
    mailboxes.open(id, "n");

    assertThat(db.rows("SELECT mailbox_id FROM link_mailbox"))
        .extracting(row -> (byte[]) row[0])
        .containsExactly(LinkMailboxes.key(id));
    assertThat(LinkMailboxes.key(id)).isNotEqualTo(id);
  }

  /** A poll that looks just before the put commits, then sees it filled, polls again (204). */
  @Test
  void aPollRacingThePut_isToldToPollAgain_notThatTheMailboxIsGone() {
    byte[] id = id(6);
    mailboxes.open(id, "n");
    MailboxRepository late =
        new MailboxRepository() {
          @Override
          public boolean open(byte[] key, long now, long expiresAt) {
            return repository.open(key, now, expiresAt);
          }

          @Override
          public long countOpen(long now) {
            return repository.countOpen(now);
          }

          @Override
          public State state(byte[] key, long now) {
            return repository.state(key, now);
          }

          @Override
          public boolean fill(byte[] key, byte[] message, long now) {
            return repository.fill(key, message, now);
          }

          @Override
          public Optional<byte[]> take(byte[] key, long now) {
            Optional<byte[]> none = repository.take(key, now);
            repository.fill(key, new byte[] {1}, now); // the put commits right after the look
            return none;
          }

          @Override
          public int deleteExpired(long now) {
            return repository.deleteExpired(now);
          }
        };
    LinkMailboxes racing =
        new LinkMailboxes(
            late, clock, new LinkMailboxes.Limits(Duration.ofMinutes(10), 10, 10, 10));

    assertThat(racing.take(id, "n")).isEmpty();
    assertThat(mailboxes.take(id, "n")).isPresent();
  }

  @Test
  void theFirstWriterWins_andAnOpenIdCannotBeOpenedAgain() {
    byte[] id = id(2);
    mailboxes.open(id, "n");
    mailboxes.put(ALICE, id, new byte[] {1});

    assertThatThrownBy(() -> mailboxes.put(ALICE, id, new byte[] {2}))
        .isInstanceOf(LinkUsedException.class);
    assertThatThrownBy(() -> mailboxes.open(id, "m")).isInstanceOf(LinkConflictException.class);
    assertThat(mailboxes.take(id, "n")).hasValueSatisfying(m -> assertThat(m).containsExactly(1));
  }

  @Test
  void aMailboxNeverOpened_orExpired_isUnknownToWritersAndTakers() {
    byte[] id = id(3);
    assertThatThrownBy(() -> mailboxes.put(ALICE, id, new byte[] {1}))
        .isInstanceOf(UnknownLinkException.class);
    assertThatThrownBy(() -> mailboxes.take(id, "n")).isInstanceOf(UnknownLinkException.class);

    mailboxes.open(id, "n");
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> mailboxes.put(ALICE, id, new byte[] {1}))
        .isInstanceOf(UnknownLinkException.class);
    assertThatThrownBy(() -> mailboxes.take(id, "n")).isInstanceOf(UnknownLinkException.class);
    assertThat(mailboxes.purgeExpired()).isEqualTo(1);
  }

  /** Takers racing for one message: exactly one gets it, the others learn it is gone. */
  @Test
  void racingTakers_getTheMessageOnce() throws Exception {
    byte[] id = id(4);
    mailboxes.open(id, "n");
    mailboxes.put(ALICE, id, new byte[] {9});
    int racers = 4;
    CyclicBarrier start = new CyclicBarrier(racers);
    List<Object> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Callable<Optional<byte[]>>> plain = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String address = "taker-" + i;
        plain.add(
            () -> {
              start.await();
              try {
                return mailboxes.take(id, address);
              } catch (UnknownLinkException gone) {
                return null;
              }
            });
      }
      for (Future<Optional<byte[]>> outcome : pool.invokeAll(plain)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).filteredOn(o -> o instanceof Optional<?> m && m.isPresent()).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == null).hasSize(racers - 1);
  }

  @Test
  void opensArePerAddressLimited_andTheOpenMailboxesAreCapped() {
    LinkMailboxes limited = service(2, 3, 10);
    limited.open(id(10), "a");
    limited.open(id(11), "a");
    assertThatThrownBy(() -> limited.open(id(12), "a")).isInstanceOf(RateLimitedException.class);

    limited.open(id(13), "b");
    assertThatThrownBy(() -> limited.open(id(14), "c"))
        .as("three open in all")
        .isInstanceOf(RateLimitedException.class);
    clock.advance(Duration.ofMinutes(10));
    limited.purgeExpired();
    assertThat(limited.open(id(15), "c")).isPositive();
  }

  /**
   * Opens from many addresses that all count before any of them stored its mailbox (the worst
   * interleaving of a flood at the cap): only as many as the cap leaves room for are stored.
   */
  @Test
  void opensRacingAtTheCap_storeNoMoreThanTheCap() throws Exception {
    int racers = 8;
    CountDownLatch allCounted = new CountDownLatch(racers);
    MailboxRepository countsFirst =
        new MailboxRepository() {
          @Override
          public boolean open(byte[] key, long now, long expiresAt) {
            return repository.open(key, now, expiresAt);
          }

          @Override
          public long countOpen(long now) {
            long open = repository.countOpen(now);
            allCounted.countDown();
            try {
              allCounted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return open;
          }

          @Override
          public State state(byte[] key, long now) {
            return repository.state(key, now);
          }

          @Override
          public boolean fill(byte[] key, byte[] message, long now) {
            return repository.fill(key, message, now);
          }

          @Override
          public Optional<byte[]> take(byte[] key, long now) {
            return repository.take(key, now);
          }

          @Override
          public int deleteExpired(long now) {
            return repository.deleteExpired(now);
          }
        };
    LinkMailboxes capped =
        new LinkMailboxes(
            countsFirst, clock, new LinkMailboxes.Limits(Duration.ofMinutes(10), 10, 3, 10));
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<Long>> opens = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        byte[] id = id(40 + i);
        String address = "flooder-" + i;
        opens.add(pool.submit(() -> capped.open(id, address)));
      }
      int opened = 0;
      int refused = 0;
      for (Future<Long> open : opens) {
        try {
          open.get(30, TimeUnit.SECONDS);
          opened++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(RateLimitedException.class);
          refused++;
        }
      }
      assertThat(opened).isEqualTo(3);
      assertThat(refused).isEqualTo(racers - 3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(repository.countOpen(clock.millis())).isEqualTo(3);
  }

  @Test
  void fillsArePerAccountLimited_andAnotherAccountIsNotHeldBack() {
    LinkMailboxes limited = service(100, 100, 2);
    for (int i = 0; i < 3; i++) {
      limited.open(id(20 + i), "n");
    }
    limited.put(ALICE, id(20), new byte[] {1});
    limited.put(ALICE, id(21), new byte[] {1});

    assertThatThrownBy(() -> limited.put(ALICE, id(22), new byte[] {1}))
        .isInstanceOf(RateLimitedException.class);
    limited.put(DeviceAddress.first("bob"), id(22), new byte[] {1});
  }

  @Test
  void pollsArePerAddressLimited() {
    byte[] id = id(30);
    mailboxes.open(id, "n");
    for (int i = 0; i < 120; i++) {
      mailboxes.take(id, "poller");
    }
    assertThatThrownBy(() -> mailboxes.take(id, "poller")).isInstanceOf(RateLimitedException.class);
    assertThat(mailboxes.take(id, "someone else")).isEmpty();
  }

  private static byte[] id(int n) {
    byte[] id = new byte[LinkMailboxes.ID_BYTES];
    id[0] = (byte) n;
    id[15] = 7;
    return id;
  }
}
