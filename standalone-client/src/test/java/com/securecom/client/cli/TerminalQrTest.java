package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.LinkCode;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The terminal QR code of a link code scans back to the code, as a phone's camera would read it.
 */
class TerminalQrTest {
  private static final int SCALE = 4;

  @Test
  void theQrCodeOfALinkCode_scansBackToTheCode() throws Exception {
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[LinkCode.SECRET_BYTES];
    random.nextBytes(secret);
    LinkCode code = new LinkCode(X25519.generate(random).publicKey(), secret, 1_800_000_000L);

    String drawn = TerminalQr.render(code.qrText());

    assertThat(scan(drawn)).isEqualTo(code.qrText());
    assertThat(LinkCode.read(scan(drawn)).toBytes()).isEqualTo(code.toBytes());
  }

  @Test
  void theQuietZoneIsFourModules_allAround() {
    List<String> lines = TerminalQr.render("SECURECOM:0123456789").lines().toList();
    assertThat(lines.get(0)).matches("█+"); // modules 0 and 1 of the quiet zone
    assertThat(lines.get(1)).matches("█+"); // modules 2 and 3
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("████").endsWith("████"));
  }

  /** Reads the drawing as a camera would: light blocks white, spaces dark. */
  private static String scan(String drawn) throws Exception {
    List<String> lines = drawn.lines().toList();
    int width = lines.get(0).length();
    int height = lines.size() * 2;
    int[] pixels = new int[width * SCALE * height * SCALE];
    for (int row = 0; row < lines.size(); row++) {
      String line = lines.get(row);
      for (int x = 0; x < width; x++) {
        char c = line.charAt(x);
        boolean topLight = c == '█' || c == '▀';
        boolean bottomLight = c == '█' || c == '▄';
        paint(pixels, width * SCALE, x, row * 2, topLight);
        paint(pixels, width * SCALE, x, row * 2 + 1, bottomLight);
      }
    }
    RGBLuminanceSource source = new RGBLuminanceSource(width * SCALE, height * SCALE, pixels);
    return new QRCodeReader()
        .decode(
            new BinaryBitmap(new HybridBinarizer(source)),
            Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
        .getText();
  }

  private static void paint(int[] pixels, int stride, int moduleX, int moduleY, boolean light) {
    int rgb = light ? 0xFFFFFF : 0x000000;
    for (int dy = 0; dy < SCALE; dy++) {
      for (int dx = 0; dx < SCALE; dx++) {
        pixels[(moduleY * SCALE + dy) * stride + moduleX * SCALE + dx] = rgb;
      }
    }
  }
}
