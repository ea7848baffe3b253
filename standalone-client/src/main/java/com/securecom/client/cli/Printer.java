package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.SentState;
import jakarta.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/** Prints messenger events as text lines for people or as JSON lines for scripts ({@code --json}). */
final class Printer implements MessengerEvents {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final Consumer<String> out;
  private final Consumer<String> err;
  private final boolean json;

  Printer(Consumer<String> out, Consumer<String> err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  static Printer to(PrintWriter out, PrintWriter err, boolean json) {
    return new Printer(line -> {
      out.println(line);
      out.flush();
    }, line -> {
      err.println(line);
      err.flush();
    }, json);
  }

  @Override
  public void received(String from, String id, String text, Instant sentAt, boolean unconfirmed) {
    out.accept(json
        ? Json.createObjectBuilder().add("type", "message").add("from", from).add("id", id).add("text", text)
            .add("sentAt", sentAt.toString()).add("unconfirmedKey", unconfirmed).build().toString()
        : "[" + TIME.format(sentAt) + "] " + from + (unconfirmed ? " (NEW, UNCONFIRMED KEY)" : "") + ": " + text);
  }

  /**
   * JSON lines for {@code reached}, {@code delivered}, {@code read} and {@code undecryptable} (the {@code send}
   * command prints {@code sent} itself); text lines only for what the recipient's client reported end to end.
   */
  @Override
  public void sentStateChanged(String to, String id, SentState state) {
    if (state == SentState.SENDING || state == SentState.SENT) {
      return;
    }
    if (json) {
      out.accept(Json.createObjectBuilder().add("type", state.name().toLowerCase(Locale.ROOT)).add("to", to)
          .add("id", id).build().toString());
      return;
    }
    String shortId = id.substring(0, Math.min(8, id.length()));
    switch (state) {
      case DELIVERED -> out.accept("  (delivered to " + to + ": " + shortId + ")");
      case READ -> out.accept("  (read by " + to + ": " + shortId + ")");
      case UNDECRYPTABLE -> out.accept("  (" + to + " could not decrypt: " + shortId + ")");
      default -> { }
    }
  }

  @Override
  public void warning(String text) {
    if (json) {
      out.accept(Json.createObjectBuilder().add("type", "warning").add("text", text).build().toString());
    }
    err.accept("!! " + text);
  }

  void sent(String to, String id) {
    out.accept(json
        ? Json.createObjectBuilder().add("type", "sent").add("to", to).add("id", id).build().toString()
        : "sent to " + to + " (" + id + ")");
  }

  void timings(Messenger.Timings t) {
    StringBuilder line = new StringBuilder("timings:");
    append(line, "channel handshake", t.handshake);
    append(line, "X3DH", t.keyExchange);
    append(line, "encrypt", t.encrypt);
    append(line, "decrypt", t.decrypt);
    err.accept(line.toString());
  }

  private static void append(StringBuilder line, String what, Duration d) {
    if (d != null) {
      line.append(' ').append(what).append(' ').append(String.format("%.3f ms", d.toNanos() / 1e6)).append(';');
    }
  }
}
