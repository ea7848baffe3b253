package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.Vault;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.channel.ChannelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
  /** Most lines of a pipe sent with one durable save. */
  static final int BATCH = 256;

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
        queued |= send(messenger, printer, List.of(String.join(" ", words)));
      } else {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (List<String> batch = nextLines(in); !batch.isEmpty(); batch = nextLines(in)) {
          queued |= send(messenger, printer, batch);
        }
      }
      if (online) {
        messenger.sync();
      }
    }
    return queued ? ExitCodes.QUEUED : ExitCodes.OK;
  }

  /**
   * The next non-blank line, and the lines after it that are already waiting (a pipe), up to {@link
   * #BATCH}: sent with one durable save. A person typing gets one line at a time.
   */
  private static List<String> nextLines(BufferedReader in) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line = in.readLine(); line != null; ) {
      if (!line.isBlank()) {
        lines.add(line);
      }
      if (lines.size() == BATCH || !in.ready()) {
        if (!lines.isEmpty()) {
          break;
        }
      }
      line = in.readLine();
    }
    return lines;
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

  /**
   * Sends texts, saved with one durable write before any goes out; prints each outcome (with its
   * encryption time under {@code --verbose}); true if one stays queued in the outbox (the server
   * did not accept it).
   *
   * @throws MessageRejectedException for the first text the server refused, once every outcome of
   *     the batch was printed
   */
  private boolean send(Messenger messenger, Printer printer, List<String> texts) {
    boolean queued = false;
    RuntimeException refused = null;
    for (Messenger.Outcome outcome : messenger.sendAll(peer, texts)) {
      if (outcome.failure() == null) {
        printer.sent(peer, outcome.id());
      } else if (outcome.failure() instanceof QueuedException) {
        printer.queued(peer, outcome.id());
        queued = true;
      } else if (refused == null) {
        refused = outcome.failure();
      }
      if (root.profile.verbose) {
        printer.encryptTime(outcome.id(), outcome.encrypt());
      }
    }
    if (root.profile.verbose) {
      printer.timings(messenger.timings());
    }
    if (refused != null) {
      throw refused;
    }
    return queued;
  }
}
