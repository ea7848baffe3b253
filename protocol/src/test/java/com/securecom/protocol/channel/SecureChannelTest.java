package com.securecom.protocol.channel;

import static com.securecom.protocol.channel.ChannelAssertions.assertClosesWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SecureChannelTest {
  private static final byte[] PLAINTEXT =
      "{\"type\":\"accepted\",\"id\":\"0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01\"}"
          .getBytes(StandardCharsets.UTF_8);

  private static SecureChannel sender(ChannelPair pair, Direction direction) {
    return direction == Direction.CLIENT_TO_SERVER ? pair.client() : pair.server();
  }

  private static SecureChannel receiver(ChannelPair pair, Direction direction) {
    return direction == Direction.CLIENT_TO_SERVER ? pair.server() : pair.client();
  }

  /**
   * A fixed channel in which frames 0 .. counter-1 of {@code direction} were already sent and
   * opened; returns the frame with {@code counter}, sealed but not yet opened.
   */
  private static byte[] frameAfter(ChannelPair pair, Direction direction, int counter)
      throws ChannelException {
    for (int i = 0; i < counter; i++) {
      receiver(pair, direction).open(sender(pair, direction).seal(PLAINTEXT));
    }
    return sender(pair, direction).seal(PLAINTEXT);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void framesOfEverySize_roundTrip(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 15, 16, 17, 1000, 65_536}) {
      byte[] plaintext = new byte[length];
      random.nextBytes(plaintext);

      assertThat(receiver(pair, direction).open(sender(pair, direction).seal(plaintext)))
          .as("length %d", length)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void bothDirections_interleaveIndependently() throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    byte[] c0 = pair.client().seal(Bytes.ascii("c0"));
    byte[] c1 = pair.client().seal(Bytes.ascii("c1"));
    byte[] s0 = pair.server().seal(Bytes.ascii("s0"));

    assertThat(pair.client().open(s0)).isEqualTo(Bytes.ascii("s0"));
    assertThat(pair.server().open(c0)).isEqualTo(Bytes.ascii("c0"));
    assertThat(pair.server().open(c1)).isEqualTo(Bytes.ascii("c1"));
    assertThat(pair.client().open(pair.server().seal(Bytes.ascii("s1"))))
        .isEqualTo(Bytes.ascii("s1"));
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void sealedFrames_areBigEndianCounterThenCiphertextAndTag(Direction direction) {
    SecureChannel sender = sender(ChannelPair.fresh(), direction);

    for (long counter = 0; counter < 3; counter++) {
      byte[] frame = sender.seal(PLAINTEXT);
      assertThat(frame).hasSize(8 + PLAINTEXT.length + 16);
      assertThat(ByteBuffer.wrap(frame).getLong(0)).isEqualTo(counter);
    }
  }

  @Test
  void samePlaintextTwice_sealsToDifferentFrames() {
    SecureChannel client = ChannelPair.fresh().client();

    assertThat(Arrays.copyOfRange(client.seal(PLAINTEXT), 8, 8 + PLAINTEXT.length))
        .isNotEqualTo(Arrays.copyOfRange(client.seal(PLAINTEXT), 8, 8 + PLAINTEXT.length));
  }

  /**
   * Tink-style: flip each bit of a sealed frame, in a fresh copy of the channel each time. A
   * changed counter is out of sequence (1008); a change anywhere in the ciphertext or tag fails
   * authentication (1007).
   */
  @ParameterizedTest(name = "{0}, counter {1}")
  @CsvSource({
    "CLIENT_TO_SERVER, 0",
    "CLIENT_TO_SERVER, 2",
    "SERVER_TO_CLIENT, 0",
    "SERVER_TO_CLIENT, 2"
  })
  void everyFlippedBit_isRejected(Direction direction, int counter) throws Exception {
    byte[] frame = frameAfter(ChannelPair.fixed(), direction, counter);

    for (int bit = 0; bit < frame.length * 8; bit++) {
      ChannelPair pair = ChannelPair.fixed();
      assertThat(frameAfter(pair, direction, counter)).isEqualTo(frame);
      byte[] tampered = Bits.flip(frame, bit);
      int expected = bit < 64 ? CloseCodes.POLICY : CloseCodes.MALFORMED;

      assertClosesWith(expected, "bit " + bit, () -> receiver(pair, direction).open(tampered));
    }
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void replayedFrame_closesWith1008(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    byte[] frame = sender(pair, direction).seal(PLAINTEXT);
    receiver(pair, direction).open(frame);

    assertClosesWith(CloseCodes.POLICY, () -> receiver(pair, direction).open(frame))
        .hasMessage("frame out of sequence");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void replayedEarlierFrame_closesWith1008(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    byte[] first = sender(pair, direction).seal(PLAINTEXT);
    receiver(pair, direction).open(first);
    receiver(pair, direction).open(sender(pair, direction).seal(PLAINTEXT));

    assertClosesWith(CloseCodes.POLICY, () -> receiver(pair, direction).open(first));
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void reorderedFrame_closesWith1008(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    sender(pair, direction).seal(PLAINTEXT);
    byte[] second = sender(pair, direction).seal(PLAINTEXT);

    assertClosesWith(CloseCodes.POLICY, () -> receiver(pair, direction).open(second))
        .hasMessage("frame out of sequence");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void droppedFrame_closesWith1008AtTheNextOne(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    receiver(pair, direction).open(sender(pair, direction).seal(PLAINTEXT));
    sender(pair, direction).seal(PLAINTEXT);
    byte[] third = sender(pair, direction).seal(PLAINTEXT);

    assertClosesWith(CloseCodes.POLICY, () -> receiver(pair, direction).open(third));
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void truncatedFrame_ofEveryShorterLength_closesWith1007(Direction direction) throws Exception {
    byte[] frame = frameAfter(ChannelPair.fixed(), direction, 1);

    for (int length = 0; length < frame.length; length++) {
      ChannelPair pair = ChannelPair.fixed();
      frameAfter(pair, direction, 1);
      byte[] truncated = Arrays.copyOf(frame, length);

      assertClosesWith(
          CloseCodes.MALFORMED,
          "length " + length,
          () -> receiver(pair, direction).open(truncated));
    }
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void frameWithBytesAppended_closesWith1007(Direction direction) throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    byte[] frame = sender(pair, direction).seal(PLAINTEXT);

    assertClosesWith(
        CloseCodes.MALFORMED,
        () -> receiver(pair, direction).open(Bytes.concat(frame, new byte[1])));
  }

  @Test
  void shortestFrame_isHeaderAndTag() throws Exception {
    ChannelPair pair = ChannelPair.fresh();
    byte[] empty = pair.client().seal(new byte[0]);

    assertThat(empty).hasSize(24);
    assertThat(pair.server().open(empty)).isEmpty();
    assertClosesWith(CloseCodes.MALFORMED, () -> pair.server().open(new byte[23]))
        .hasMessage("malformed frame");
  }

  /**
   * A frame reflected back to its sender is opened with the other direction's key, nonce and data:
   * 1007.
   */
  @Test
  void frameSealedInOneDirection_cannotBeOpenedAsTheOther() {
    ChannelPair pair = ChannelPair.fresh();
    byte[] fromClient = pair.client().seal(PLAINTEXT);
    byte[] fromServer = pair.server().seal(PLAINTEXT);

    assertClosesWith(CloseCodes.MALFORMED, () -> pair.client().open(fromClient))
        .hasMessage("decryption failed");
    assertClosesWith(CloseCodes.MALFORMED, () -> pair.server().open(fromServer))
        .hasMessage("decryption failed");
  }

  /**
   * Even under one key, the direction byte in nonce and associated data keeps the directions apart.
   */
  @Test
  void directionByte_separatesDirectionsUnderTheSameKey() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0x42);
    byte[] frame = new FrameSealer(key, Direction.CLIENT_TO_SERVER).seal(PLAINTEXT);

    assertThat(new FrameOpener(key, Direction.CLIENT_TO_SERVER).open(frame)).isEqualTo(PLAINTEXT);
    assertClosesWith(
        CloseCodes.MALFORMED, () -> new FrameOpener(key, Direction.SERVER_TO_CLIENT).open(frame));
  }

  @Test
  void nonceAndAssociatedData_layOutDirectionAndCounter() {
    assertThat(FrameSealer.nonce(Direction.SERVER_TO_CLIENT, 0x0102030405060708L))
        .containsExactly(2, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(FrameSealer.associatedData(Direction.CLIENT_TO_SERVER, 0x0102030405060708L))
        .containsExactly(1, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(Direction.CLIENT_TO_SERVER.wireByte()).isEqualTo((byte) 0x01);
    assertThat(Direction.SERVER_TO_CLIENT.wireByte()).isEqualTo((byte) 0x02);
  }
}
