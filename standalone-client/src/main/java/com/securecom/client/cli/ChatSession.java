package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Contact;
import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.UntrustedIdentityException;
import com.securecom.client.app.Vault;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * One chat with {@code peer}, for {@link ChatCommand}: what each typed line does ({@link
 * ChatLine}), and, on its own thread, reconnecting when the connection drops.
 */
final class ChatSession {
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(5);
  private static final int[] BACKOFF_SECONDS = {2, 4, 8, 16, 30};

  /**
   * The WebSocket close code of a connection that ended without a close frame, or could not be
   * made.
   */
  private static final int UNREACHABLE = 1006;

  /**
   * Lines typed while the server could not be reached and that could not even be encrypted yet (in
   * order).
   */
  private final List<String> unsent = new ArrayList<>();

  volatile boolean leaving;
  private final String me;
  private final String peer;
  private final Consumer<String> sendText;
  private final boolean verbose;
  private final Vault vault;
  private final Accounts accounts;
  private final Messenger messenger;
  private final LineReader reader;
  private final Printer printer;

  /**
   * A chat with {@code peer}, or, if {@code peer} is null, in a group; {@code sendText} sends one
   * line (it throws as {@link Messenger#send} does).
   */
  ChatSession(
      String me,
      String peer,
      Consumer<String> sendText,
      boolean verbose,
      Vault vault,
      Accounts accounts,
      Messenger messenger,
      LineReader reader,
      Printer printer) {
    this.me = me;
    this.peer = peer;
    this.sendText = sendText;
    this.verbose = verbose;
    this.vault = vault;
    this.accounts = accounts;
    this.messenger = messenger;
    this.reader = reader;
    this.printer = printer;
  }

  /** Handles one typed line (null: the input ended); returns false when the chat ends. */
  boolean handle(String line) {
    if (line == null) {
      return false;
    }
    ChatLine parsed = ChatLine.of(line);
    if (parsed instanceof ChatLine.Command command) {
      return command(command.name());
    }
    if (parsed instanceof ChatLine.Text text) {
      send(text.text());
    }
    return true;
  }

  private boolean command(String name) {
    if (peer == null && (name.equals("fingerprint") || name.equals("verify"))) {
      reader.printAbove(
          "in a group, compare each member's safety number with 'securecom fingerprint USER'");
      return true;
    }
    switch (name) {
      case "quit" -> {
        return false;
      }
      case "help" ->
          (peer == null ? ChatLine.GROUP_HELP : ChatLine.HELP.formatted(peer))
              .lines()
              .forEach(reader::printAbove);
      case "fingerprint" ->
          SafetyNumbers.show(accounts, vault, peer, "/verify", reader::printAbove);
      case "verify" ->
          SafetyNumbers.verify(
              accounts, vault, peer, reader::printAbove, question -> readLine(reader, question));
      case "contacts" -> contacts();
      default -> reader.printAbove("unknown command, /help lists them (nothing was sent)");
    }
    return true;
  }

  private void contacts() {
    List<Contact> contacts = accounts.contacts(vault);
    for (Contact c : contacts) {
      reader.printAbove(String.format("%-32s %s", c.username(), ContactsCommand.status(c)));
    }
  }

  /**
   * Sends {@code text}: shown with "(sent)" once the server stored it, "(queued ...)" if it went to
   * the outbox while the server is unreachable (the outbox survives quitting), or kept in this
   * chat's memory until it reconnects if it could not be encrypted without the server (no session
   * yet).
   */
  private synchronized void send(String text) {
    Instant typed = Clock.systemUTC().instant();
    if (!unsent.isEmpty()) {
      unsent.add(text); // after the earlier ones, in order
      printer.own(me, text, typed, "not sent yet: waiting for the server");
      return;
    }
    try {
      sendText.accept(text);
      printer.own(me, text, typed, "sent");
      if (verbose) {
        printer.timings(messenger.timings());
      }
    } catch (QueuedException offline) {
      printer.own(
          me,
          text,
          typed,
          "queued: the server is unreachable; it is sent when the chat reconnects");
    } catch (ServerUnreachableException offline) {
      unsent.add(text);
      printer.own(me, text, typed, "not sent yet: waiting for the server");
    } catch (UntrustedIdentityException | MessageRejectedException | IllegalArgumentException e) {
      reader.printAbove("!! not sent: " + text);
      reader.printAbove("!! " + e.getMessage());
    }
  }

  /**
   * After reconnecting: sends the lines kept in memory, in order (the outbox was resent by the
   * connection).
   */
  private synchronized void sendUnsent() {
    List<String> waiting = List.copyOf(unsent);
    unsent.clear();
    waiting.forEach(this::sendAgain);
  }

  private void sendAgain(String text) {
    if (!unsent.isEmpty()) {
      unsent.add(text);
      return;
    }
    try {
      sendText.accept(text);
    } catch (QueuedException stillOffline) {
      // in the outbox now: sent on the next connection
    } catch (ServerUnreachableException stillOffline) {
      unsent.add(text);
    } catch (UntrustedIdentityException | MessageRejectedException | IllegalArgumentException e) {
      reader.printAbove("!! not sent: " + text);
      reader.printAbove("!! " + e.getMessage());
    }
  }

  /**
   * Runs on its own thread for the whole chat: when the connection drops, says so and reconnects
   * after 2, 4, 8, 16 and then every 30 seconds, until it is back or the user leaves. A refused
   * session (logged out, expired), a connection made elsewhere, a device removed from the account,
   * an account with linked devices (4426: this client is too old for it), or a server that fails
   * the channel's checks is not retried.
   */
  void reconnectWhenDisconnected() {
    try {
      while (!leaving) {
        int code = messenger.awaitDisconnect();
        for (int attempt = 0; !leaving && code != 0; attempt++) {
          if (!retryable(code)) {
            reader.printAbove(
                "!! disconnected: "
                    + FailureHandler.closeMessage(code, "")
                    + "; not reconnecting (/quit, then see 'securecom --help')");
            return;
          }
          int delay = BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length - 1)];
          reader.printAbove("disconnected, reconnecting in " + delay + " s");
          Thread.sleep(delay * 1000L);
          code = reconnect();
        }
      }
    } catch (InterruptedException leavingNow) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One attempt; returns 0 if connected, else the close code that refused it (1006: unreachable).
   */
  private int reconnect() {
    if (leaving) {
      return 0;
    }
    try {
      messenger.connect(); // the printer says "reconnected"
      if (verbose) {
        printer.timings(messenger.timings());
      }
      sendUnsent();
      return 0;
    } catch (ChannelException refused) {
      return refused.closeCode();
    } catch (RuntimeException unreachable) {
      return UNREACHABLE;
    }
  }

  /**
   * Leaving: waits briefly for the server's answers if connected, and says what has not gone out.
   */
  void leave() {
    if (messenger.isConnected()) {
      try {
        messenger.sync();
        messenger.awaitOutbox(RECEIPT_WAIT);
      } catch (ChannelException | RuntimeException droppedMeanwhile) {
        // what is not accepted stays in the outbox
      }
    }
    synchronized (this) {
      if (!unsent.isEmpty()) {
        reader.printAbove(
            "!! "
                + unsent.size()
                + " line(s) could not be sent (the server was unreachable) and are"
                + " dropped: "
                + String.join(" / ", unsent));
      }
    }
  }

  /** False for a close that a new connection would not fix. */
  static boolean retryable(int code) {
    return code != CloseCodes.UNAUTHORIZED
        && code != CloseCodes.CONNECTED_ELSEWHERE
        && code != CloseCodes.DEVICE_REMOVED
        && code != CloseCodes.UPGRADE_REQUIRED
        && code != CloseCodes.POLICY;
  }

  /** The next line, or null at the end of input or on Ctrl-C. */
  static String readLine(LineReader reader, String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }
}
