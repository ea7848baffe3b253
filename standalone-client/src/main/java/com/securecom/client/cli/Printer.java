package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.MessengerEvents;
import com.securecom.client.app.SentState;
import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Reason;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Prints messenger events as text lines for people or as JSON lines for scripts ({@code --json}).
 */
final class Printer implements MessengerEvents {
  private static final int QUOTE_LENGTH = 20;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final Consumer<String> out;
  private final Consumer<String> err;
  private final boolean json;

  /** What the texts this run sent said, briefly, by id: receipts name the message with it. */
  private final Map<String, String> quotes = new ConcurrentHashMap<>();

  private final Set<String> leftQueuedFrom = ConcurrentHashMap.newKeySet();
  private final Messenger.Timings printed = new Messenger.Timings();
  private final AtomicInteger connections = new AtomicInteger();

  Printer(Consumer<String> out, Consumer<String> err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  static Printer to(PrintWriter out, PrintWriter err, boolean json) {
    return new Printer(
        line -> {
          out.println(line);
          out.flush();
        },
        line -> {
          err.println(line);
          err.flush();
        },
        json);
  }

  @Override
  public void received(String from, String id, String text, Instant sentAt, boolean unconfirmed) {
    out.accept(
        json
            ? message("message", from, id, text, sentAt, unconfirmed).build().toString()
            : line(sentAt, "", from, unconfirmed, text));
  }

  /** A text's JSON line of type {@code type}. */
  private static JsonObjectBuilder message(
      String type, String from, String id, String text, Instant sentAt, boolean unconfirmed) {
    return Json.createObjectBuilder()
        .add("type", type)
        .add("from", from)
        .add("id", id)
        .add("text", text)
        .add("sentAt", sentAt.toString())
        .add("unconfirmedKey", unconfirmed);
  }

  /** A text's line: {@code [12:00:00] where from: text}, the text made safe to print. */
  private static String line(
      Instant sentAt, String where, String from, boolean unconfirmed, String text) {
    return "["
        + TIME.format(sentAt)
        + "] "
        + where
        + from
        + (unconfirmed ? " (NEW, UNCONFIRMED KEY)" : "")
        + ": "
        + TerminalText.message(text);
  }

  /**
   * A text another device of this account sent: {@code [12:00:00] -> bob: text}, or a JSON line of
   * type {@code transcript}.
   */
  @Override
  public void sentFromOtherDevice(String to, String id, String text, Instant sentAt, int device) {
    quotes.put(id, quote(text));
    out.accept(
        json
            ? Json.createObjectBuilder()
                .add("type", "transcript")
                .add("to", to)
                .add("id", id)
                .add("text", text)
                .add("sentAt", sentAt.toString())
                .add("device", device)
                .build()
                .toString()
            : "[" + TIME.format(sentAt) + "] -> " + to + ": " + TerminalText.message(text));
  }

  /**
   * A group text: {@code [12:00:00] #name alice: text} (this user's own from another device too),
   * or a JSON line of type {@code groupMessage}.
   */
  @Override
  public void receivedInGroup(
      GroupState group,
      String from,
      int device,
      String id,
      String text,
      Instant sentAt,
      boolean unconfirmed) {
    out.accept(
        json
            ? message("groupMessage", from, id, text, sentAt, unconfirmed)
                .add("group", group.id().hex())
                .add("groupName", group.name())
                .build()
                .toString()
            : line(sentAt, GroupLines.tag(group.name()) + " ", from, unconfirmed, text));
  }

  /** A group's change as a notice line, or a JSON line of type {@code groupChanged}. */
  @Override
  public void groupChanged(GroupState before, GroupState after, Change change, String by) {
    out.accept(
        json
            ? Json.createObjectBuilder()
                .add("type", "groupChanged")
                .add("group", after.id().hex())
                .add("groupName", after.name())
                .add("by", by)
                .add("revision", after.revision())
                .add("members", Json.createArrayBuilder(after.members()))
                .add("removedYou", change.selfRemoved())
                .build()
                .toString()
            : GroupLines.changed(before, after, change, by));
  }

  @Override
  public void groupUpdateIgnored(GroupId group, String knownName, String from, Reason reason) {
    warning(GroupLines.ignored(group, knownName, from, reason));
  }

  @Override
  public void groupTextRefused(GroupId group, String from, String why) {
    warning(
        "a message from "
            + from
            + " to group "
            + GroupLines.shortId(group)
            + " was not shown: "
            + why);
  }

  /**
   * JSON lines for {@code reached}, {@code delivered}, {@code read} and {@code undecryptable} (the
   * {@code send} command prints {@code sent} itself); text lines only for what the recipient's
   * client reported end to end.
   */
  @Override
  public void sentStateChanged(String to, String id, SentState state) {
    if (state == SentState.SENDING || state == SentState.SENT) {
      return;
    }
    if (json) {
      out.accept(
          Json.createObjectBuilder()
              .add("type", state.name().toLowerCase(Locale.ROOT))
              .add("to", to)
              .add("id", id)
              .build()
              .toString());
      return;
    }
    String which = quotes.getOrDefault(id, "message " + id.substring(0, Math.min(8, id.length())));
    switch (state) {
      case DELIVERED -> out.accept("  (delivered to " + to + ": " + which + ")");
      case READ -> out.accept("  (read by " + to + ": " + which + ")");
      case UNDECRYPTABLE -> out.accept("  (" + to + " could not decrypt: " + which + ")");
      default -> {}
    }
  }

  /**
   * "reconnected" on every connection after the first (a chat that reconnects), before what it
   * brings.
   */
  @Override
  public void connected() {
    if (connections.getAndIncrement() > 0 && !json) {
      out.accept("reconnected");
    }
  }

  @Override
  public void sending(String to, String id, String text) {
    quotes.put(id, quote(text));
  }

  /**
   * The first {@value #QUOTE_LENGTH} characters of {@code text}, in quotes, to name a message in a
   * receipt.
   */
  static String quote(String text) {
    String oneLine = TerminalText.message(text).strip().replaceAll("\\s+", " ");
    int end =
        oneLine.codePointCount(0, oneLine.length()) <= QUOTE_LENGTH
            ? oneLine.length()
            : oneLine.offsetByCodePoints(0, QUOTE_LENGTH);
    return "\"" + oneLine.substring(0, end) + (end < oneLine.length() ? "...\"" : "\"");
  }

  /**
   * Once per sender and run: something from {@code from} waits on the server (see
   * Messenger#receiveOnlyFrom).
   */
  @Override
  public void leftQueued(String from) {
    if (leftQueuedFrom.add(from)) {
      out.accept(
          json
              ? Json.createObjectBuilder()
                  .add("type", "leftQueued")
                  .add("from", from)
                  .build()
                  .toString()
              : "  (new from "
                  + from
                  + ", kept on the server: read it with 'securecom chat "
                  + from
                  + "' or 'securecom receive')");
    }
  }

  /**
   * This user's own line in a chat: the time it was typed, and where it is ({@code sent}: the
   * server stored it; a receipt follows when the recipient's client has it).
   */
  void own(String me, String text, Instant at, String status) {
    out.accept("[" + TIME.format(at) + "] " + me + ": " + text + "  (" + status + ")");
  }

  @Override
  public void warning(String text) {
    if (json) {
      out.accept(
          Json.createObjectBuilder().add("type", "warning").add("text", text).build().toString());
    }
    err.accept("!! " + text);
  }

  void sent(String to, String id) {
    out.accept(
        json
            ? Json.createObjectBuilder()
                .add("type", "sent")
                .add("to", to)
                .add("id", id)
                .build()
                .toString()
            : "sent to " + to + " (" + id + ")");
  }

  /**
   * A text that the server did not accept and stays in the outbox, for the next chat, send or
   * receive.
   */
  void queued(String to, String id) {
    out.accept(
        json
            ? Json.createObjectBuilder()
                .add("type", "queued")
                .add("to", to)
                .add("id", id)
                .build()
                .toString()
            : "queued for "
                + to
                + " ("
                + id
                + "): the server cannot be reached; the next chat, send or receive"
                + " sends it (do not send it again)");
  }

  /**
   * The durations measured since the last call (a figure printed once is not repeated); nothing if
   * none.
   */
  synchronized void timings(Messenger.Timings t) {
    StringBuilder line = new StringBuilder("timings:");
    printed.handshake = append(line, "channel handshake", t.handshake, printed.handshake);
    printed.keyExchange = append(line, "X3DH", t.keyExchange, printed.keyExchange);
    printed.encrypt = append(line, "encrypt", t.encrypt, printed.encrypt);
    printed.save = append(line, "save", t.save, printed.save);
    printed.decrypt = append(line, "decrypt", t.decrypt, printed.decrypt);
    if (line.length() > "timings:".length()) {
      err.accept(line.toString());
    }
  }

  /** {@code --verbose} for one message of a batch: how long its encryption took. */
  void encryptTime(String id, Duration encrypt) {
    err.accept(String.format("timings: encrypt %.3f ms (%s)", encrypt.toNanos() / 1e6, id));
  }

  /**
   * Appends {@code d} unless it is the measurement printed last ({@code before}, the same object);
   * returns it.
   */
  private static Duration append(StringBuilder line, String what, Duration d, Duration before) {
    if (d != null && d != before) {
      line.append(' ')
          .append(what)
          .append(' ')
          .append(String.format("%.3f ms", d.toNanos() / 1e6))
          .append(';');
    }
    return d;
  }
}
