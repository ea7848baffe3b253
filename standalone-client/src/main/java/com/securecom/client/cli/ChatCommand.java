package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Contact;
import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.UntrustedIdentityException;
import com.securecom.client.app.Vault;
import java.time.Clock;
import java.time.Duration;
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
          while (session.handle(readLine(reader, me + "> "))) {
            // next line
          }
          messenger.sync();
          messenger.awaitOutbox(RECEIPT_WAIT);
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

  /** The next line, or null at the end of input or on Ctrl-C. */
  private static String readLine(LineReader reader, String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  /** One chat: what each typed line does. */
  private final class Session {
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

    private void send(String text) {
      try {
        messenger.send(peer, text);
        printer.own(me, text, Clock.systemDefaultZone().instant());
        if (root.profile.verbose) {
          printer.timings(messenger.timings());
        }
      } catch (UntrustedIdentityException | MessageRejectedException | IllegalArgumentException e) {
        reader.printAbove("!! not sent: " + text);
        reader.printAbove("!! " + e.getMessage());
      }
    }
  }
}
