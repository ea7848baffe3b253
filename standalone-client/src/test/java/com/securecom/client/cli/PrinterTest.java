package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.SentState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the user and scripts ({@code --json}) see of messenger events. */
class PrinterTest {
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  private Printer printer(boolean json) {
    return new Printer(out::add, err::add, json);
  }

  @Test
  void json_oneObjectPerLine_forScripts() {
    Printer printer = printer(true);

    printer.received("bob", "id-1", "hi \"there\"", Instant.parse("2030-01-02T03:04:05Z"), true);
    printer.sent("bob", "id-2");
    printer.sentStateChanged("bob", "id-2", SentState.READ);
    printer.warning("careful");

    assertThat(out)
        .containsExactly(
            "{\"type\":\"message\",\"from\":\"bob\",\"id\":\"id-1\",\"text\":\"hi \\\"there\\\"\","
                + "\"sentAt\":\"2030-01-02T03:04:05Z\",\"unconfirmedKey\":true}",
            "{\"type\":\"sent\",\"to\":\"bob\",\"id\":\"id-2\"}",
            "{\"type\":\"read\",\"to\":\"bob\",\"id\":\"id-2\"}",
            "{\"type\":\"warning\",\"text\":\"careful\"}");
    assertThat(err).containsExactly("!! careful");
  }

  @Test
  void text_marksAnUnconfirmedKey_andShowsOnlyEndToEndReceipts() {
    Printer printer = printer(false);

    printer.received("bob", "id-1", "hello", Instant.now(), true);
    printer.received("bob", "id-2", "hello again", Instant.now(), false);
    printer.sentStateChanged("bob", "0123456789abcdef", SentState.SENT);
    printer.sentStateChanged("bob", "0123456789abcdef", SentState.REACHED);
    printer.sentStateChanged("bob", "0123456789abcdef", SentState.DELIVERED);
    printer.sentStateChanged("bob", "0123456789abcdef", SentState.UNDECRYPTABLE);

    assertThat(out).hasSize(4);
    assertThat(out.get(0)).endsWith("] bob (NEW, UNCONFIRMED KEY): hello");
    assertThat(out.get(1)).endsWith("] bob: hello again");
    assertThat(out.subList(2, 4))
        .containsExactly(
            "  (delivered to bob: message 01234567)",
            "  (bob could not decrypt: message 01234567)");
  }

  @Test
  void receipts_quoteTheStartOfAMessageThisRunSent() {
    Printer printer = printer(false);

    printer.sending("bob", "id-1", "  C:\\Users\\alice\\docs\\and a long tail");
    printer.sentStateChanged("bob", "id-1", SentState.DELIVERED);

    assertThat(out).containsExactly("  (delivered to bob: \"C:\\Users\\alice\\docs\\...\")");
  }

  @Test
  void timings_printOnlyWhatWasMeasured_onStderr() {
    Messenger.Timings timings = new Messenger.Timings();
    timings.encrypt = Duration.ofNanos(1_500_000);

    printer(false).timings(timings);

    assertThat(out).isEmpty();
    assertThat(err).containsExactly(String.format("timings: encrypt %.3f ms;", 1.5));
  }
}
