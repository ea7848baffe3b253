package com.securecom.client.cli;

import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.UntrustedIdentityException;
import com.securecom.client.app.Vault;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Interactive chat: what you type is sent to the peer; messages and delivery receipts appear above the input line
 * as they arrive (the seed's send and receive threads, in one terminal). {@code /quit} leaves.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Chat with <peer> interactively (/quit to leave).")
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
    try (Vault vault = root.profile.open();
        Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      Printer printer = new Printer(reader::printAbove, line -> reader.printAbove(line), false);
      try (Messenger messenger =
          root.profile.messenger(vault, printer).sendReadReceipts(readReceipts)) {
        messenger.connect();
        reader.printAbove("Chatting with " + peer + " as " + vault.info().username()
            + ". Messages are end-to-end encrypted. /quit to leave.");
        while (true) {
          String line;
          try {
            line = reader.readLine(vault.info().username() + "> ");
          } catch (UserInterruptException | EndOfFileException e) {
            break;
          }
          if (line.trim().equals("/quit")) {
            break;
          }
          if (line.isBlank()) {
            continue;
          }
          try {
            messenger.send(peer, line);
            if (root.profile.verbose) {
              printer.timings(messenger.timings());
            }
          } catch (UntrustedIdentityException | MessageRejectedException e) {
            reader.printAbove("!! not sent: " + e.getMessage());
          }
        }
        messenger.sync();
        messenger.awaitOutbox(RECEIPT_WAIT);
      }
    }
    return ExitCodes.OK;
  }
}
