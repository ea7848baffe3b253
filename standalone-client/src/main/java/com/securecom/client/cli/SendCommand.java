package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.Vault;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.channel.ChannelException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send a message: the text given, or each line of standard input.")
final class SendCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The recipient.")
  String peer;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      description = "The text (default: one message per line of stdin).")
  List<String> words;

  @Option(names = "--json", description = "Print one JSON object per sent message.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (words != null && !words.isEmpty() && String.join(" ", words).isBlank()) {
      throw new UsageException(
          "an empty message is not sent; give the text, or leave it out to send each line of"
              + " standard input");
    }
    Printer printer = Printer.to(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    boolean queued = false;
    try (Vault vault = root.profile.open();
        Messenger messenger = root.profile.messenger(vault, printer).leaveIncomingQueued()) {
      boolean online = connect(messenger);
      if (words != null && !words.isEmpty()) {
        queued |= send(messenger, printer, String.join(" ", words));
      } else {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            queued |= send(messenger, printer, line);
          }
        }
      }
      if (online) {
        messenger.sync();
      }
      if (root.profile.verbose) {
        printer.timings(messenger.timings());
      }
    }
    return queued ? ExitCodes.QUEUED : ExitCodes.OK;
  }

  /**
   * Connects; false if the server cannot be reached (the texts then go to the outbox if a session
   * with the peer exists to encrypt them, else the command fails with "cannot reach the server" and
   * nothing is kept).
   */
  private static boolean connect(Messenger messenger) throws ChannelException {
    try {
      messenger.connect();
      return true;
    } catch (ServerUnreachableException offline) {
      return false;
    }
  }

  /** Sends one text; true if it stays queued in the outbox (the server did not accept it). */
  private boolean send(Messenger messenger, Printer printer, String text) {
    try {
      printer.sent(peer, messenger.send(peer, text));
      return false;
    } catch (QueuedException notAccepted) {
      printer.queued(peer, notAccepted.id());
      return true;
    }
  }
}
