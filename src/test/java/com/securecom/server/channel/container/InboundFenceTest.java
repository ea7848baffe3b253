package com.securecom.server.channel.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fence over raw client frames as RFC 6455 lays them out (masked, as a client must send them).
 */
class InboundFenceTest {
  private static final int BINARY = 0x2;
  private static final int CONTINUATION = 0x0;
  private static final int PING = 0x9;

  private InboundFence fence;
  private final AtomicInteger refusals = new AtomicInteger();

  @BeforeEach
  void newFence() {
    fence = new InboundFence();
    fence.limitAfterAuth(98_304);
    fence.onOversize(refusals::incrementAndGet);
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
    assertThat(accept(frame(true, BINARY, 33))).isEqualTo(39);
    assertThat(accept(frame(true, BINARY, 1024))).isEqualTo(1032);
    assertThat(accept(frame(true, BINARY, 98_304))).isEqualTo(98_318);
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
    assertThat(accept(frame(true, BINARY, 33))).isEqualTo(39);
    byte[] secondOfTwoKb = frame(true, BINARY, 2048);
    assertThat(accept(secondOfTwoKb)).isZero();
    assertThat(fence.refused()).isTrue();

    newFence();
    accept(frame(true, BINARY, 33));
    accept(frame(true, BINARY, 100));
    assertThat(accept(frame(true, BINARY, 98_304))).isEqualTo(98_318);
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

    assertThat(accept(chunk)).isEqualTo(ok.length);
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
    assertThat(accept(frame(false, BINARY, 60_000))).isEqualTo(60_008);
    assertThat(accept(frame(true, PING, 4))).as("control frames between fragments").isEqualTo(10);
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
}
