package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.e2e.MessagePayload.Kind;
import com.securecom.client.net.ServerUnreachableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A backlog is answered with one receipt per 100 texts and peer, not one per text. */
class ReceiptBatcherTest {
  private record Sent(String peer, Kind kind, List<String> about) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final ReceiptBatcher receipts =
      new ReceiptBatcher(
          (peer, kind, about) -> sent.add(new Sent(peer, kind, about)), ReceiptBatcher.WAIT);

  @AfterEach
  void close() {
    receipts.close();
  }

  private static List<String> ids(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
  }

  @Test
  void aBacklogOf250Texts_isAnsweredWithThreeReceipts_inOrder() {
    ids(1, 250).forEach(id -> receipts.add("alice", Kind.DELIVERED, id));
    assertThat(sent)
        .as("full batches go at once")
        .containsExactly(
            new Sent("alice", Kind.DELIVERED, ids(1, 100)),
            new Sent("alice", Kind.DELIVERED, ids(101, 200)));

    receipts.flush();
    assertThat(sent).hasSize(3).last().isEqualTo(new Sent("alice", Kind.DELIVERED, ids(201, 250)));
  }

  @Test
  void eachPeerAndEachKind_isItsOwnReceipt() {
    receipts.add("alice", Kind.DELIVERED, "a1");
    receipts.add("bob", Kind.DELIVERED, "b1");
    receipts.add("alice", Kind.READ, "a1");
    receipts.add("alice", Kind.DELIVERED, "a2");
    receipts.flush();
    assertThat(sent)
        .containsExactlyInAnyOrder(
            new Sent("alice", Kind.DELIVERED, List.of("a1", "a2")),
            new Sent("bob", Kind.DELIVERED, List.of("b1")),
            new Sent("alice", Kind.READ, List.of("a1")));
  }

  @Test
  void aLoneText_isReceiptedWithinTheWait_withoutAFlush() throws InterruptedException {
    receipts.add("alice", Kind.DELIVERED, "m1");
    assertThat(sent).isEmpty();
    long deadline = System.nanoTime() + ReceiptBatcher.WAIT.multipliedBy(50).toNanos();
    while (sent.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(sent).containsExactly(new Sent("alice", Kind.DELIVERED, List.of("m1")));
  }

  @Test
  void closing_sendsWhatIsCollected_andALostConnectionDoesNotThrow() {
    ReceiptBatcher offline =
        new ReceiptBatcher(
            (peer, kind, about) -> {
              sent.add(new Sent(peer, kind, about));
              throw new ServerUnreachableException("relay", null);
            },
            ReceiptBatcher.WAIT);
    offline.add("alice", Kind.DELIVERED, "m1");
    offline.close();
    assertThat(sent).containsExactly(new Sent("alice", Kind.DELIVERED, List.of("m1")));
  }

  @Test
  void anIdNamedTwice_isNamedOnce_sinceAReceiptsIdsMustBeDistinct() {
    receipts.add("alice", Kind.DELIVERED, "m1");
    receipts.add("alice", Kind.DELIVERED, "m1");
    receipts.flush();
    assertThat(sent).containsExactly(new Sent("alice", Kind.DELIVERED, List.of("m1")));
  }

  @Test
  void nothingCollected_sendsNothing() {
    receipts.flush();
    assertThat(sent).isEmpty();
  }

  @Test
  void withNoWait_eachReceiptGoesAtOnce() {
    ReceiptBatcher atOnce =
        new ReceiptBatcher(
            (peer, kind, about) -> sent.add(new Sent(peer, kind, about)), Duration.ZERO);
    atOnce.add("alice", Kind.DELIVERED, "m1");
    atOnce.add("alice", Kind.DELIVERED, "m2");
    assertThat(sent)
        .containsExactly(
            new Sent("alice", Kind.DELIVERED, List.of("m1")),
            new Sent("alice", Kind.DELIVERED, List.of("m2")));
    atOnce.close();
  }
}
