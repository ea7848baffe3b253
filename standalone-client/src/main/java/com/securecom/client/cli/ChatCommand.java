package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Contact;
import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.Messenger;
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
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * Interactive chat: what you type is sent to the peer; their messages and delivery receipts appear above the input
 * line as they arrive. Lines starting with {@code /} are commands ({@link ChatLine}). Only the peer's messages are
 * shown; anything from others stays on the server for a later {@code receive} or chat, with a one-line notice.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = {"Chat with <peer> interactively; /help lists the chat's commands, /quit leaves.",
        "A line starting with // sends the rest starting with /."})
final class ChatCommand implements Callable<Integer> {
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(5);
  private static final int[] BACKOFF_SECONDS = {2, 4, 8, 16, 30};
  /** The WebSocket close code of a connection that ended without a close frame, or could not be made. */
  private static final int UNREACHABLE = 1006;

  @ParentCommand
  SecureCom root;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Option(names = "--read-receipts", description = "Tell senders when their messages were shown here (off by default).")
  boolean readReceipts;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      Accounts accounts = root.profile.accounts();
      accounts.contact(vault, peer); // an unknown peer fails here (exit 6), not on the first line
      try (Terminal terminal = root.profile.terminals.open()) {
        LineReader reader = lineReader(terminal);
        Printer printer = new Printer(reader::printAbove, reader::printAbove, false);
        try (Messenger messenger = root.profile.messenger(vault, printer).receiveOnlyFrom(peer)
            .sendReadReceipts(readReceipts)) {
          messenger.connect();
          String me = vault.info().username();
          reader.printAbove("Chatting with " + peer + " as " + me + ". Messages are end-to-end encrypted."
              + " /help lists the commands, /quit leaves.");
          if (root.profile.verbose) {
            printer.timings(messenger.timings());
          }
          Session session = new Session(me, vault, accounts, messenger, reader, printer);
          Thread reconnector = new Thread(session::reconnectWhenDisconnected, "securecom-reconnect");
          reconnector.setDaemon(true);
          reconnector.start();
          while (session.handle(readLine(reader, me + "> "))) {
            // next line
          }
          session.leaving = true;
          reconnector.interrupt();
          session.leave();
        }
      }
    }
    return ExitCodes.OK;
  }

  /**
   * A reader that returns lines exactly as typed: no escapes ({@code \}), quotes or history expansion ({@code !}),
   * which JLine's defaults would apply to a chat message.
   */
  static LineReader lineReader(Terminal terminal) {
    DefaultParser raw = new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0]);
    return LineReaderBuilder.builder().terminal(terminal).parser(raw)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
        .build();
  }

  /** False for a close that a new connection would not fix. */
  private static boolean retryable(int code) {
    return code != CloseCodes.UNAUTHORIZED && code != CloseCodes.CONNECTED_ELSEWHERE && code != CloseCodes.POLICY;
  }

  /** The next line, or null at the end of input or on Ctrl-C. */
  private static String readLine(LineReader reader, String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  /** One chat: what each typed line does, and reconnecting when the connection drops. */
  private final class Session {
    /** Lines typed while the server could not be reached and that could not even be encrypted yet (in order). */
    private final List<String> unsent = new ArrayList<>();
    private volatile boolean leaving;
    private final String me;
    private final Vault vault;
    private final Accounts accounts;
    private final Messenger messenger;
    private final LineReader reader;
    private final Printer printer;

    Session(String me, Vault vault, Accounts accounts, Messenger messenger, LineReader reader, Printer printer) {
      this.me = me;
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
      switch (name) {
        case "quit" -> {
          return false;
        }
        case "help" -> ChatLine.HELP.formatted(peer).lines().forEach(reader::printAbove);
        case "fingerprint" -> SafetyNumbers.show(accounts, vault, peer, "/verify", reader::printAbove);
        case "verify" -> SafetyNumbers.verify(accounts, vault, peer, reader::printAbove, question -> readLine(reader,
            question));
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
     * Sends {@code text}: shown with "(sent)" once the server stored it, "(queued ...)" if it went to the outbox
     * while the server is unreachable (the outbox survives quitting), or kept in this chat's memory until it
     * reconnects if it could not be encrypted without the server (no session yet).
     */
    private synchronized void send(String text) {
      Instant typed = Clock.systemUTC().instant();
      if (!unsent.isEmpty()) {
        unsent.add(text); // after the earlier ones, in order
        printer.own(me, text, typed, "not sent yet: waiting for the server");
        return;
      }
      try {
        messenger.send(peer, text);
        printer.own(me, text, typed, "sent");
        if (root.profile.verbose) {
          printer.timings(messenger.timings());
        }
      } catch (QueuedException offline) {
        printer.own(me, text, typed, "queued: the server is unreachable; it is sent when the chat reconnects");
      } catch (ServerUnreachableException offline) {
        unsent.add(text);
        printer.own(me, text, typed, "not sent yet: waiting for the server");
      } catch (UntrustedIdentityException | MessageRejectedException | IllegalArgumentException e) {
        reader.printAbove("!! not sent: " + text);
        reader.printAbove("!! " + e.getMessage());
      }
    }

    /** After reconnecting: sends the lines kept in memory, in order (the outbox was resent by the connection). */
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
        messenger.send(peer, text);
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
     * Runs on its own thread for the whole chat: when the connection drops, says so and reconnects after 2, 4, 8, 16
     * and then every 30 seconds, until it is back or the user leaves. A refused session (logged out, expired), a
     * connection made elsewhere, or a server that fails the channel's checks is not retried.
     */
    void reconnectWhenDisconnected() {
      try {
        while (!leaving) {
          int code = messenger.awaitDisconnect();
          for (int attempt = 0; !leaving && code != 0; attempt++) {
            if (!retryable(code)) {
              reader.printAbove("!! disconnected: " + FailureHandler.closeMessage(code, "")
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

    /** One attempt; returns 0 if connected, else the close code that refused it (1006: unreachable). */
    private int reconnect() {
      if (leaving) {
        return 0;
      }
      try {
        messenger.connect();
        reader.printAbove("reconnected");
        if (root.profile.verbose) {
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

    /** Leaving: waits briefly for the server's answers if connected, and says what has not gone out. */
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
          reader.printAbove("!! " + unsent.size() + " line(s) could not be sent (the server was unreachable) and are"
              + " dropped: " + String.join(" / ", unsent));
        }
      }
    }
  }
}
