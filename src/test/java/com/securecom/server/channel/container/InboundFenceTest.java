package com.securecom.server.channel.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fence over raw client frames as RFC 6455 lays them out (masked, as a client must send them).
 * What passes is the same frames unmasked and without their masking keys: 4 bytes fewer per frame.
 */
class InboundFenceTest {
  private static final int BINARY = 0x2;
  private static final int CONTINUATION = 0x0;
  private static final int PING = 0x9;

  private InboundFence fence;
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger unmaskedRefusals = new AtomicInteger();

  @BeforeEach
  void newFence() {
    fence = new InboundFence();
    fence.limitAfterAuth(98_304);
    fence.onOversize(refusals::incrementAndGet);
    fence.onUnmasked(unmaskedRefusals::incrementAndGet);
  }

  /**
   * A client frame header declaring {@code length} payload bytes (the payload itself is not
   * needed).
   */
  private static byte[] header(boolean fin, int opcode, long length) {
    return RawWebSocket.header(opcode, fin, length, new byte[] {1, 2, 3, 4});
  }

  private static byte[] frame(boolean fin, int opcode, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header(fin, opcode, length));
    out.writeBytes(new byte[length]);
    return out.toByteArray();
  }

  private int accept(byte[] bytes) {
    return fence.accept(bytes, 0, bytes.length);
  }

  @Test
  void framesWithinTheLimits_passWhole() {
    assertThat(accept(frame(true, BINARY, 33))).isEqualTo(35);
    assertThat(accept(frame(true, BINARY, 1024))).isEqualTo(1028);
    assertThat(accept(frame(true, BINARY, 98_304))).isEqualTo(98_314);
    assertThat(fence.refused()).isFalse();
    assertThat(refusals).hasValue(0);
  }

  @Test
  void oversizedFirstMessage_isRefusedAtItsHeader_beforeAnyPayload() {
    byte[] declared4Mb = header(true, BINARY, 4_000_000);

    assertThat(accept(declared4Mb)).isZero();
    assertThat(fence.refused()).isTrue();
    assertThat(refusals).hasValue(1);
    assertThat(accept(new byte[65_536])).as("nothing passes afterwards").isZero();
    assertThat(refusals).hasValue(1);
  }

  @Test
  void beforeAuthentication_theLimitIs1024Bytes_afterItTheRelaysLimit() {
    assertThat(accept(frame(true, BINARY, 33))).isEqualTo(35);
    byte[] secondOfTwoKb = frame(true, BINARY, 2048);
    assertThat(accept(secondOfTwoKb)).isZero();
    assertThat(fence.refused()).isTrue();

    newFence();
    accept(frame(true, BINARY, 33));
    accept(frame(true, BINARY, 100));
    assertThat(accept(frame(true, BINARY, 98_304))).isEqualTo(98_314);
    assertThat(accept(header(true, BINARY, 98_305))).isZero();
    assertThat(fence.refused()).isTrue();
  }

  @Test
  void bytesBeforeTheRefusedFrame_inTheSameChunk_stillPass() {
    byte[] ok = frame(true, BINARY, 33);
    byte[] bad = header(true, BINARY, 5000);
    byte[] chunk = new byte[ok.length + bad.length];
    System.arraycopy(ok, 0, chunk, 0, ok.length);
    System.arraycopy(bad, 0, chunk, ok.length, bad.length);

    assertThat(accept(chunk)).isEqualTo(ok.length - 4);
  }

  @Test
  void aHeaderSplitAcrossReads_isStillChecked() {
    byte[] bad = header(true, BINARY, 70_000);
    assertThat(fence.accept(bad, 0, 3)).isEqualTo(3);
    assertThat(fence.refused()).isFalse();
    assertThat(fence.accept(bad, 3, bad.length - 3)).isZero();
    assertThat(fence.refused()).isTrue();
  }

  @Test
  void fragmentsCount_towardsTheirMessage() {
    accept(frame(true, BINARY, 33));
    accept(frame(true, BINARY, 100));
    assertThat(accept(frame(false, BINARY, 60_000))).isEqualTo(60_004);
    assertThat(accept(frame(true, PING, 4))).as("control frames between fragments").isEqualTo(6);
    assertThat(accept(header(true, CONTINUATION, 40_000))).isZero();
    assertThat(fence.refused()).isTrue();
  }

  @Test
  void controlFrameOver125Bytes_isRefused() {
    assertThat(accept(header(true, PING, 126))).isZero();
    assertThat(fence.refused()).isTrue();
  }

  @Test
  void aLengthWithTheTopBitSet_isRefused() {
    byte[] header = header(true, BINARY, 1);
    byte[] huge =
        new byte[] {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    assertThat(header).isNotEmpty();
    assertThat(accept(huge)).isZero();
    assertThat(fence.refused()).isTrue();
  }

  @Test
  void maskedFrames_passUnmasked_withoutTheirKeys_howeverTheReadsSplitThem() {
    SplittableRandom random = new SplittableRandom(7);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int length : new int[] {0, 1, 7, 33, 125, 126, 1_100, 65_535, 65_536, 70_001}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      byte[] key = new byte[4];
      random.nextBytes(key);
      sent.writeBytes(RawWebSocket.maskedFrame(BINARY, true, payload, key));
      expected.writeBytes(RawWebSocket.unmaskedFrame(BINARY, true, payload));
    }
    byte[] stream = sent.toByteArray();

    for (int maxRead : new int[] {1, 2, 3, 5, 9, 14, 1_000, 16_384, stream.length}) {
      newFence();
      byte[] copy = stream.clone();
      ByteArrayOutputStream passed = new ByteArrayOutputStream();
      for (int at = 0; at < copy.length; ) {
        int read = Math.min(1 + random.nextInt(maxRead), copy.length - at);
        passed.write(copy, at, fence.accept(copy, at, read));
        at += read;
      }
      assertThat(passed.toByteArray())
          .as("reads of up to %d bytes", maxRead)
          .isEqualTo(expected.toByteArray());
    }
    assertThat(refusals).hasValue(0);
    assertThat(unmaskedRefusals).hasValue(0);
  }

  @Test
  void aPayloadSplitAtEveryOffset_isUnmaskedWithTheRightKeyByte() {
    byte[] payload = new byte[37];
    Arrays.fill(payload, (byte) 0x5A);
    byte[] key = {(byte) 0x01, (byte) 0x22, (byte) 0x93, (byte) 0xF4};
    byte[] frame = RawWebSocket.maskedFrame(BINARY, true, payload, key);
    byte[] expected = RawWebSocket.unmaskedFrame(BINARY, true, payload);

    for (int split = 0; split <= frame.length; split++) {
      newFence();
      byte[] copy = frame.clone();
      ByteArrayOutputStream passed = new ByteArrayOutputStream();
      passed.write(copy, 0, fence.accept(copy, 0, split));
      passed.write(copy, split, fence.accept(copy, split, copy.length - split));
      assertThat(passed.toByteArray()).as("split at %d", split).isEqualTo(expected);
    }
  }

  @Test
  void anUnmaskedFrame_isRefusedAtItsSecondByte_andNothingOfItPasses() {
    byte[] ok = frame(true, BINARY, 33);
    byte[] unmasked = RawWebSocket.unmaskedFrame(BINARY, true, new byte[33]);
    byte[] chunk = new byte[ok.length + unmasked.length];
    System.arraycopy(ok, 0, chunk, 0, ok.length);
    System.arraycopy(unmasked, 0, chunk, ok.length, unmasked.length);

    assertThat(accept(chunk)).as("only the masked frame before it").isEqualTo(ok.length - 4);
    assertThat(fence.refused()).isTrue();
    assertThat(unmaskedRefusals).hasValue(1);
    assertThat(refusals).hasValue(0);
    assertThat(accept(frame(true, BINARY, 33))).as("nothing passes afterwards").isZero();
  }

  @Test
  void anUnmaskedControlFrame_isRefusedToo() {
    assertThat(accept(RawWebSocket.unmaskedFrame(PING, true, new byte[4]))).isZero();
    assertThat(unmaskedRefusals).hasValue(1);
  }
}
