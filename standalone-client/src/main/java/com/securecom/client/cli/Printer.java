package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import jakarta.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
  public void received(String from, String id, String text, Instant sentAt) {
    out.accept(json
        ? Json.createObjectBuilder().add("type", "message").add("from", from).add("id", id).add("text", text)
            .add("sentAt", sentAt.toString()).build().toString()
        : "[" + TIME.format(sentAt) + "] " + from + ": " + text);
  }

  @Override
  public void delivered(String to, String id) {
    out.accept(json
        ? Json.createObjectBuilder().add("type", "delivered").add("to", to).add("id", id).build().toString()
        : "  (delivered to " + to + ": " + id.substring(0, Math.min(8, id.length())) + ")");
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
