package com.securecom.client.cli;

import com.securecom.client.app.Messenger;
import com.securecom.client.app.Vault;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = "Print messages waiting for you (and receipts); --follow keeps listening.")
final class ReceiveCommand implements Callable<Integer> {
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(5);

  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new messages until interrupted.")
  boolean follow;

  @Option(
      names = "--json",
      description =
          "Print JSON lines: {type: message|groupMessage|groupChanged|reached|delivered|read|"
              + "undecryptable|warning, ...}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Printer printer = Printer.to(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    try (Vault vault = root.profile.open();
        Messenger messenger = root.profile.messenger(vault, printer)) {
      messenger.connect();
      messenger.sync();
      messenger.sync();
      messenger.awaitOutbox(RECEIPT_WAIT);
      if (follow) {
        int code = messenger.awaitDisconnect();
        if (code != CloseCodes.NORMAL) {
          throw new ChannelException(code, "disconnected");
        }
      }
      if (root.profile.verbose) {
        printer.timings(messenger.timings());
      }
    }
    return ExitCodes.OK;
  }
}
