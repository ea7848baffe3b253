package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.Vault;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Interactive chat: what you type is sent to the peer; their messages and delivery receipts appear
 * above the input line as they arrive. Lines starting with {@code /} are commands ({@link
 * ChatLine}). Only the peer's messages are shown; anything from others stays on the server for a
 * later {@code receive} or chat, with a one-line notice (so nothing is read, acknowledged and then
 * lost from view). When the connection drops, the chat says so and reconnects by itself with
 * backoff; lines typed meanwhile go to the outbox and are sent, once, after reconnecting.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with <peer> (a user, or #GROUP: a group's name or id prefix) interactively; /help lists"
          + " the chat's commands, /quit leaves.",
      "A line starting with // sends the rest starting with /."
    })
final class ChatCommand implements Callable<Integer> {

  @ParentCommand SecureCom root;

  @Parameters(
      index = "0",
      converter = Arguments.Recipient.class,
      description = "The other user, or #GROUP.")
  String peer;

  @Option(
      names = "--read-receipts",
      description = "Tell senders when their messages were shown here (off by default).")
  boolean readReceipts;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.openToSend()) {
      Accounts accounts = root.profile.accounts();
      KnownGroup group =
          GroupArgument.isGroup(peer) ? GroupArgument.resolve(Groups.list(vault), peer) : null;
      if (group == null) {
        accounts.contact(vault, peer); // an unknown peer fails here (exit 6), not on the first line
      }
      try (Terminal terminal = root.profile.terminals.open()) {
        LineReader reader = lineReader(terminal);
        Printer printer = new Printer(reader::printAbove, reader::printAbove, false);
        Messenger chatting = root.profile.messenger(vault, printer).sendReadReceipts(readReceipts);
        try (Messenger messenger =
            group == null
                ? chatting.receiveOnlyFrom(peer)
                : chatting.receiveOnlyFromMembersOf(group.state().id())) {
          messenger.connect();
          String me = vault.info().username();
          reader.printAbove(
              "Chatting "
                  + (group == null ? "with " + peer : "in " + GroupLines.tag(group.state().name()))
                  + " as "
                  + me
                  + ". Messages are end-to-end encrypted."
                  + " /help lists the commands, /quit leaves.");
          if (root.profile.verbose) {
            printer.timings(messenger.timings());
          }
          Consumer<String> send =
              group == null
                  ? text -> messenger.send(peer, text)
                  : text -> toGroup(messenger, group, text);
          ChatSession session =
              new ChatSession(
                  me,
                  group == null ? peer : null,
                  send,
                  root.profile.verbose,
                  vault,
                  accounts,
                  messenger,
                  reader,
                  printer);
          Thread reconnector =
              new Thread(session::reconnectWhenDisconnected, "securecom-reconnect");
          reconnector.setDaemon(true);
          reconnector.start();
          while (session.handle(ChatSession.readLine(reader, me + "> "))) {
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

  /** Sends one line to {@code group}, throwing what {@link Messenger#send} would. */
  private static void toGroup(Messenger messenger, KnownGroup group, String text) {
    Messenger.Outcome outcome =
        messenger.sendToGroup(group.state().id(), List.of(text)).outcomes().get(0);
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
  }

  /**
   * A reader that returns lines exactly as typed: no escapes ({@code \}), quotes or history
   * expansion ({@code !}), which JLine's defaults would apply to a chat message.
   */
  static LineReader lineReader(Terminal terminal) {
    DefaultParser raw = new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0]);
    return LineReaderBuilder.builder()
        .terminal(terminal)
        .parser(raw)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
        .build();
  }
}
