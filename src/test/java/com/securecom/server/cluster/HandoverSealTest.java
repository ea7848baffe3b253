package com.securecom.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.device.DeviceAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Handovers are accepted only as sealed by a holder of the cluster key, for this node, recently:
 * every other byte string (forged, tampered, replayed to another node, stale, truncated) is refused
 * with one exception.
 */
class HandoverSealTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final String NODE = "6f1c1c7e-0000-4000-8000-000000000001";
  private static final byte[] HANDOVER =
      Handover.encode(new Handover.ConnectedElsewhere(DeviceAddress.first("alice")));

  private static HandoverSeal seal(int keyByte) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) keyByte);
    return new HandoverSeal(key);
  }

  @Test
  void sealedForThisNode_opensToTheSameBytes() {
    byte[] sealed = seal(1).seal(NODE, HANDOVER, NOW);

    assertThat(seal(1).open(NODE, sealed, NOW + 5)).containsExactly(HANDOVER);
    assertThat(sealed).hasSize(8 + HANDOVER.length + HandoverSeal.TAG_BYTES);
  }

  @Test
  void sealedWithAnotherKey_isRefused() {
    byte[] sealed = seal(2).seal(NODE, HANDOVER, NOW);

    assertThatThrownBy(() -> seal(1).open(NODE, sealed, NOW))
        .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
  }

  @Test
  void sealedForAnotherNode_isRefused() {
    byte[] sealed = seal(1).seal("6f1c1c7e-0000-4000-8000-000000000002", HANDOVER, NOW);

    assertThatThrownBy(() -> seal(1).open(NODE, sealed, NOW))
        .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
  }

  @Test
  void everyFlippedBit_isRefused() {
    byte[] sealed = seal(1).seal(NODE, HANDOVER, NOW);
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = sealed.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      int flipped = bit;
      assertThatThrownBy(() -> seal(1).open(NODE, tampered, NOW))
          .as("bit %d", flipped)
          .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
    }
  }

  @Test
  void everyTruncationAndTheBareOldFormat_areRefused() {
    byte[] sealed = seal(1).seal(NODE, HANDOVER, NOW);
    for (int length = 0; length < sealed.length; length++) {
      byte[] cut = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> seal(1).open(NODE, cut, NOW))
          .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
    }
    assertThatThrownBy(() -> seal(1).open(NODE, HANDOVER, NOW))
        .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
  }

  @Test
  void aHandoverOlderOrNewerThanTwoMinutes_isRefused_andOneWithinIsNot() {
    byte[] sealed = seal(1).seal(NODE, HANDOVER, NOW);

    assertThat(seal(1).open(NODE, sealed, NOW + HandoverSeal.MAX_AGE_MILLIS))
        .containsExactly(HANDOVER);
    assertThat(seal(1).open(NODE, sealed, NOW - HandoverSeal.MAX_AGE_MILLIS))
        .containsExactly(HANDOVER);
    assertThatThrownBy(() -> seal(1).open(NODE, sealed, NOW + HandoverSeal.MAX_AGE_MILLIS + 1))
        .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
    assertThatThrownBy(() -> seal(1).open(NODE, sealed, NOW - HandoverSeal.MAX_AGE_MILLIS - 1))
        .isInstanceOf(HandoverSeal.ForgedHandoverException.class);
  }

  @Test
  void theKeyMustBe32Bytes() {
    assertThatThrownBy(() -> new HandoverSeal("short".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
