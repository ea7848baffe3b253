package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.securecom.protocol.vectors.DeviceListBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser faces untrusted bytes: whatever they are, it returns a list whose encoding is exactly
 * those bytes (one encoding per list) or throws {@link MalformedDeviceListException}, never
 * anything else; and any valid list encodes exactly as the documented layout says. Seeded, so a
 * failure names an input that reproduces it.
 */
class DeviceListFuzzTest {
  private static final int CASES = 20_000;
  private static final byte[] KEY = new byte[32];
  private static final List<byte[]> SEEDS =
      List.of(
          new DeviceListBytes().identityKey(KEY).entry(1, 0).build(),
          new DeviceListBytes()
              .username("a.b_c-d")
              .identityKey(KEY)
              .serial(9)
              .issuedAt(1_735_732_800L)
              .lastDeviceId(7)
              .entry(1, 5)
              .entry(4, 6)
              .entry(7, 8)
              .build());

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      switch (random.nextInt(5)) {
        case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
        case 3 -> {
          byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(24));
          for (int j = b.length; j < longer.length; j++) {
            longer[j] = (byte) random.nextInt(256);
          }
          b = longer;
        }
        default -> {
          // a field-sized byte run at a field-ish place: all zeros or all ones
          int at = random.nextInt(b.length);
          Arrays.fill(
              b,
              at,
              Math.min(b.length, at + 1 + random.nextInt(8)),
              random.nextBoolean() ? 0 : (byte) 0xff);
        }
      }
      if (b.length == 0) {
        break;
      }
    }
    return b;
  }

  @Test
  void anyBytes_parseCanonicallyOrAreRefused() {
    Random random = new Random(20261130L);
    int parsed = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] input = mutate(SEEDS.get(i % SEEDS.size()), random);
      try {
        DeviceList list = DeviceList.parse(input);
        parsed++;
        assertThat(list.encode()).as(HexFormat.of().formatHex(input)).isEqualTo(input);
      } catch (MalformedDeviceListException expected) {
        // refused, as documented
      } catch (RuntimeException unexpected) {
        fail("unexpected " + unexpected + " for " + HexFormat.of().formatHex(input));
      }
    }
    // Some mutations leave a valid list (a createdAt bit, say): the round trip was exercised.
    assertThat(parsed).isGreaterThan(100);
  }

  @Test
  void randomValidLists_encodeAsDocumented_andParseBack() throws Exception {
    Random random = new Random(17L);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder name = new StringBuilder();
      for (int n = 3 + random.nextInt(30); n > 0; n--) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] key = new byte[32];
      random.nextBytes(key);
      long serial = 1 + (random.nextLong() >>> 11) % DeviceList.MAX_NUMBER;
      long issuedAt = (random.nextLong() >>> 11) % (DeviceList.MAX_NUMBER + 1);
      int lastDeviceId = 16 + random.nextInt(999_999_999 - 15);
      DeviceListBytes documented =
          new DeviceListBytes()
              .username(name.toString())
              .identityKey(key)
              .serial(serial)
              .issuedAt(issuedAt)
              .lastDeviceId(lastDeviceId);
      List<DeviceEntry> entries = new ArrayList<>();
      int id = 0;
      for (int n = 1 + random.nextInt(DeviceList.MAX_ENTRIES); n > 0; n--) {
        id += 1 + random.nextInt((lastDeviceId - id) / n);
        long createdAt = (random.nextLong() >>> 11) % (DeviceList.MAX_NUMBER + 1);
        entries.add(new DeviceEntry(id, createdAt));
        documented.entry(id, createdAt);
      }

      DeviceList list =
          DeviceList.of(name.toString(), key, serial, issuedAt, lastDeviceId, entries);

      assertThat(list.encode()).isEqualTo(documented.build());
      assertThat(DeviceList.parse(list.encode())).isEqualTo(list);
      assertThat(DeviceList.parse(list.encode()).entries()).isEqualTo(entries);
    }
  }
}
