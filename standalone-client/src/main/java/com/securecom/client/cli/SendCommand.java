package com.securecom.client.cli;

import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.Vault;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.channel.ChannelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send a message: the text given, or each line of standard input.",
      "To '#GROUP', what waits on the server is received (and printed) first, so that the text goes"
          + " to the members as they are now."
    })
final class SendCommand implements Callable<Integer> {
  /** Most lines of a pipe sent with one durable save. */
  static final int BATCH = 256;

  /**
   * Most batches handed to the relay whose answers are not yet printed: the next batch is encrypted
   * and saved while the server stores the previous ones.
   */
  static final int IN_FLIGHT = 4;

  /** How long a group send waits for the server to take the receipts of what it received. */
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(5);

  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      converter = Arguments.Recipient.class,
      description = "The recipient: a user, or '#GROUP' (a group's name or id prefix; quoted).")
  String peer;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      description = "The text (default: one message per line of stdin).")
  List<String> words;

  @Option(names = "--json", description = "Print one JSON object per sent message.")
  boolean json;

  /** Whether a text stayed in the outbox, and the first refusal (thrown once all are printed). */
  private boolean queued;

  private RuntimeException refused;

  private Messenger.Timings timings;

  /** Hands texts to the messenger: to {@link #peer}, or to the group it names. */
  private Function<List<String>, Messenger.Submitted> submit;

  @Override
  public Integer call() throws Exception {
    if (words != null && !words.isEmpty() && String.join(" ", words).isBlank()) {
      throw new UsageException(
          "an empty message is not sent; give the text, or leave it out to send each line of"
              + " standard input");
    }
    Printer printer = Printer.to(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    boolean toGroup = GroupArgument.isGroup(peer);
    try (Vault vault = root.profile.openToSend();
        Messenger messenger = root.profile.messenger(vault, printer)) {
      timings = messenger.timings();
      submit = texts -> messenger.submit(peer, texts);
      KnownGroup group = null;
      if (toGroup) {
        group = GroupArgument.resolve(Groups.list(vault), peer); // a typo costs no connection
        KnownGroup named = group;
        submit = texts -> toGroup(messenger, named, texts);
      } else {
        messenger.leaveIncomingQueued();
      }
      boolean online = connect(messenger);
      if (toGroup) {
        if (online) {
          // First what waits on the server, printed as 'receive' prints it: a text sent on a member
          // list older than a removal already queued here would still reach the removed member
          messenger.sync();
        }
        peer = GroupLines.tag(current(vault, group).state().name());
      }
      if (words != null && !words.isEmpty()) {
        report(printer, submit.apply(List.of(String.join(" ", words))));
      } else {
        sendLines(messenger, printer);
      }
      if (refused != null) {
        throw refused;
      }
      if (online) {
        messenger.sync();
        if (toGroup) {
          messenger.awaitOutbox(RECEIPT_WAIT); // the receipts for what the first sync brought
        }
      }
    }
    return queued ? ExitCodes.QUEUED : ExitCodes.OK;
  }

  /**
   * Sends each line of standard input: a batch is submitted (encrypted, saved, handed to the relay)
   * while the server still stores the ones before it, up to {@link #IN_FLIGHT} batches; outcomes
   * are printed in order, and all of them before the command waits for more input. After a refusal
   * no further line is sent.
   */
  private void sendLines(Messenger messenger, Printer printer) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Deque<Messenger.Submitted> inFlight = new ArrayDeque<>();
    try {
      for (List<String> batch = nextLines(in);
          !batch.isEmpty() && refused == null;
          batch = nextLines(in)) {
        inFlight.add(submit.apply(batch));
        while (!inFlight.isEmpty()
            && (inFlight.size() > IN_FLIGHT || inFlight.peek().answered() || !in.ready())) {
          // nothing more waiting on the pipe (or a person typing): print before blocking on it
          report(printer, inFlight.poll());
        }
      }
    } finally {
      while (!inFlight.isEmpty()) { // also when a submit threw: what went out is reported
        report(printer, inFlight.poll());
      }
    }
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

  /** {@code group} as this profile knows it now (renamed, say, by an update the sync brought). */
  private static KnownGroup current(Vault vault, KnownGroup group) {
    return Groups.list(vault).stream()
        .filter(g -> g.state().id().equals(group.state().id()))
        .findFirst()
        .orElse(group);
  }

  private static Messenger.Submitted toGroup(
      Messenger messenger, KnownGroup group, List<String> texts) {
    try {
      return messenger.sendToGroup(group.state().id(), texts);
    } catch (IllegalArgumentException notSent) {
      throw new UsageException(notSent.getMessage());
    }
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
   * Waits for the server's answers to texts submitted (saved with one durable write before any went
   * out) and prints each outcome (with its encryption time under {@code --verbose}); notes whether
   * one stays queued in the outbox (the server did not accept it) and the first refusal.
   */
  private void report(Printer printer, Messenger.Submitted submitted) {
    for (Messenger.Outcome outcome : submitted.outcomes()) {
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
      printer.timings(timings);
    }
  }
}
