package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.WireVectorsGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The closed set of relay messages is complete everywhere: every {@link WireMessage.Kind} has one
 * record that names it, is sent by the side its interface says, round-trips through the codec, and
 * is in docs/protocol.md's table with the same sender.
 */
class WireKindsTest {
  private static final WireCodec CODEC = new WireCodec();
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Za-z]+)` +\\| (client|server) +\\|");

  /** One example of every message. */
  private static List<WireMessage> examples() {
    List<WireMessage> examples = new ArrayList<>(WireVectorsGenerator.canonicalMessages());
    examples.add(new WireMessage.PreKeysLow("24"));
    return examples;
  }

  @Test
  void everyKind_hasOneRecord() {
    Map<WireMessage.Kind, Class<?>> records = new EnumMap<>(WireMessage.Kind.class);
    for (WireMessage message : examples()) {
      Class<?> previous = records.put(message.kind(), message.getClass());
      assertThat(previous).as(message.kind().name()).isIn(null, message.getClass());
    }
    assertThat(records).containsOnlyKeys(WireMessage.Kind.values());
    List<Class<?>> permitted =
        Arrays.stream(WireMessage.class.getPermittedSubclasses())
            .flatMap(direction -> Arrays.stream(direction.getPermittedSubclasses()))
            .toList();
    assertThat(permitted).containsExactlyInAnyOrderElementsOf(records.values());
  }

  @Test
  void everyMessage_isSentByTheSideItsInterfaceSays() {
    for (WireMessage message : examples()) {
      boolean fromClient = message instanceof WireMessage.ClientMessage;
      assertThat(message.kind().sender())
          .as(message.type())
          .isEqualTo(fromClient ? WireMessage.Sender.CLIENT : WireMessage.Sender.SERVER);
    }
  }

  @Test
  void everyMessage_roundTrips() throws Exception {
    for (WireMessage message : examples()) {
      assertThat(CODEC.decode(CODEC.encode(message))).isEqualTo(message);
      assertThat(WireMessage.Kind.ofType(message.type())).isSameAs(message.kind());
    }
  }

  @Test
  void documentsTable_listsEveryKindWithItsSender() throws Exception {
    Map<String, String> documented = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(Path.of("docs", "protocol.md"));
    int at = lines.indexOf("### Messages");
    while (!lines.get(at).startsWith("| `type`")) {
      at++;
    }
    for (at += 2; lines.get(at).startsWith("|"); at++) {
      Matcher row = ROW.matcher(lines.get(at));
      assertThat(row.find()).as(lines.get(at)).isTrue();
      documented.put(row.group(1), row.group(2));
    }
    Map<String, String> kinds = new LinkedHashMap<>();
    for (WireMessage.Kind kind : WireMessage.Kind.values()) {
      kinds.put(kind.type(), kind.sender().name().toLowerCase(Locale.ROOT));
    }
    assertThat(documented).containsExactlyEntriesOf(kinds);
  }

  @Test
  void documentsListOfMessagesAClientMayNotSend_isEveryServerKind() throws Exception {
    String text = String.join(" ", Files.readAllLines(Path.of("docs", "protocol.md")));
    Matcher list =
        Pattern.compile("A well-formed message that the client may not send \\(([^)]*)\\)")
            .matcher(text);
    assertThat(list.find()).isTrue();
    List<String> documented = new ArrayList<>();
    Matcher name =
        Pattern.compile("`([A-Za-z]+)`").matcher(list.group(1).replace("or a second `auth`", ""));
    while (name.find()) {
      documented.add(name.group(1));
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(WireMessage.Kind.values())
                .filter(kind -> kind.sender() == WireMessage.Sender.SERVER)
                .map(WireMessage.Kind::type)
                .toList());
  }
}
