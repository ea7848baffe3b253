package com.securecom.client.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn in a terminal with Unicode half blocks: each character holds two rows of modules
 * ({@code ▀ ▄ █} and space), dark modules printed as blocks on the terminal's background, with the
 * four-module quiet zone scanners need. Encoded by Nayuki's QR Code generator at error correction
 * level M.
 */
final class TerminalQr {
  private static final int QUIET = 4;

  private TerminalQr() {}

  /**
   * The lines of {@code text}'s QR code, light modules drawn as blocks (so the code reads on a dark
   * terminal, where the background is the dark part).
   */
  static String render(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int size = qr.size + 2 * QUIET;
    StringBuilder out = new StringBuilder();
    for (int y = 0; y < size; y += 2) {
      for (int x = 0; x < size; x++) {
        boolean topLight = isLight(qr, x - QUIET, y - QUIET);
        boolean bottomLight = y + 1 >= size || isLight(qr, x - QUIET, y + 1 - QUIET);
        out.append(topLight && bottomLight ? '█' : topLight ? '▀' : bottomLight ? '▄' : ' ');
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static boolean isLight(QrCode qr, int x, int y) {
    return !qr.getModule(x, y); // outside the code: false, so light (the quiet zone)
  }
}
