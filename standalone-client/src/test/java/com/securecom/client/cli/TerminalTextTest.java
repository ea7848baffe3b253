package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Text from the server printed on a terminal: it can neither steer the terminal nor disguise. */
class TerminalTextTest {
  @Test
  void namesInAnyScript_withMarksAndEmoji_printAsTheyAre() {
    for (String name :
        List.of(
            "laptop", "Ноутбук", "ノートパソコン", "القرص", "e\u0301cran", "phone \uD83D\uDCF1", "a b")) {
      assertThat(TerminalText.printable(name, 64)).isEqualTo(name);
    }
  }

  @Test
  void controls_escapes_bidiOverrides_andInvisibleCharacters_areReplaced() {
    assertThat(TerminalText.printable("a\u001b[31mb", 64)).isEqualTo("a\uFFFD[31mb");
    assertThat(TerminalText.printable("a\u009b2Jb", 64)).as("C1 CSI").isEqualTo("a\uFFFD2Jb");
    assertThat(TerminalText.printable("a\r\n\tb\u0000", 64))
        .isEqualTo("a\uFFFD\uFFFD\uFFFDb\uFFFD");
    assertThat(TerminalText.printable("exe.\u202Etxt", 64)).isEqualTo("exe.\uFFFDtxt");
    assertThat(TerminalText.printable("a\u200Bb\u2028c\u2029d", 64))
        .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd");
    assertThat(TerminalText.printable("lone \uD800 surrogate", 64))
        .isEqualTo("lone \uFFFD surrogate");
    assertThat(TerminalText.printable("private \uE000 use", 64)).isEqualTo("private \uFFFD use");
  }

  @Test
  void aLongText_isCut_atWholeCodePoints() {
    assertThat(TerminalText.printable("abcdef", 6)).isEqualTo("abcdef");
    assertThat(TerminalText.printable("abcdefg", 6)).isEqualTo("abcdef...");
    assertThat(TerminalText.printable("\uD83D\uDE42\uD83D\uDE42", 1)).isEqualTo("\uD83D\uDE42...");
  }

  @Test
  void noInputAtAll_leavesAControlOrFormatCharacter() {
    Random random = new Random(14);
    for (int i = 0; i < 10_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(80); n > 0; n--) {
        text.append((char) random.nextInt(0x10000));
      }
      String printed = TerminalText.printable(text.toString(), 64);
      assertThat(printed.codePoints())
          .as(text.toString())
          .noneMatch(
              c ->
                  Character.getType(c) == Character.CONTROL
                      || Character.getType(c) == Character.FORMAT
                      || Character.getType(c) == Character.SURROGATE
                      || c == '\u2028'
                      || c == '\u2029');
      assertThat(printed.codePointCount(0, printed.length())).isLessThanOrEqualTo(64 + 3);
    }
  }

  @Test
  void aMessageKeepsItsLinesAndEmoji_butNoEscapeSequenceOrDirectionOverride() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // joined by ZWJ
    assertThat(TerminalText.message("line 1\nline 2\tcol " + family))
        .isEqualTo("line 1\nline 2\tcol " + family);
    assertThat(TerminalText.message("\u001B]52;c;ZXZpbA==\u0007pwned"))
        .as("an OSC 52 clipboard write")
        .doesNotContain("\u001B")
        .doesNotContain("\u0007")
        .endsWith("pwned");
    assertThat(TerminalText.message("\u001B[2J\u001B[Hfake prompt$ "))
        .as("clear screen, cursor home")
        .doesNotContain("\u001B");
    assertThat(TerminalText.message("invoice_\u202Efdp.exe")).isEqualTo("invoice_\uFFFDfdp.exe");
    assertThat(TerminalText.message("a\rb\u0085c\u2028d")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd");
  }
}
