package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.device.DeviceAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {
  private static final DeviceAddress BOB = DeviceAddress.first("bob");

  private final List<WireMessage> sent = new ArrayList<>();
  private final Answers answers = new Answers(sent::add);

  @Test
  void answersSettledOutOfOrder_goOutInTheOrderOfTheirFrames() {
    Answers.Slot first = answers.next();
    Answers.Slot second = answers.next();
    Answers.Slot third = answers.next();

    third.answer(new WireMessage.Pong());
    second.relayed("b", BOB);
    assertThat(sent).isEmpty();

    first.answer(new WireMessage.Accepted("a"));
    assertThat(sent)
        .containsExactly(
            new WireMessage.Accepted("a"),
            new WireMessage.Delivered("b", "bob"),
            new WireMessage.Accepted("b"),
            new WireMessage.Pong());
  }

  @Test
  void aSlotAnswersOnce() {
    Answers.Slot slot = answers.next();
    slot.answer(new WireMessage.Accepted("a"));
    slot.answer(new WireMessage.Accepted("again"));
    assertThat(sent).containsExactly(new WireMessage.Accepted("a"));
  }

  @Test
  void aReceiptSentFromMemory_isForgottenByItsFirstReceiptAck_only() {
    answers.next().relayed("a", BOB);
    answers.next().answer(new WireMessage.Accepted("stored"));

    assertThat(answers.receiptNotStored("a")).isTrue();
    assertThat(answers.receiptNotStored("a")).isFalse();
    assertThat(answers.receiptNotStored("stored")).isFalse();
  }

  @Test
  void onAVersion3Connection_aFastPathMessageIsAnsweredWithOneRelayed_inFrameOrder() {
    answers.speak(3);
    Answers.Slot first = answers.next();
    Answers.Slot second = answers.next();

    second.relayed("b", BOB);
    assertThat(sent).isEmpty();
    first.answer(new WireMessage.Accepted("a"));

    assertThat(sent)
        .containsExactly(new WireMessage.Accepted("a"), new WireMessage.Relayed("b", "bob"));
    assertThat(answers.receiptNotStored("b"))
        .as("no receiptAck is owed for a relayed message, so none is waited for")
        .isFalse();
  }

  @Test
  void onAVersion2Connection_theReceiptGoesFirst_thenAccepted() {
    answers.speak(2);
    answers.next().relayed("b", BOB);

    assertThat(sent)
        .containsExactly(new WireMessage.Delivered("b", "bob"), new WireMessage.Accepted("b"));
  }
}
