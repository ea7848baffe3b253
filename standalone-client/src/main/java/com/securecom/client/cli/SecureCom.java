package com.securecom.client.cli;

import com.securecom.client.net.TransportPolicy;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code securecom}: end-to-end encrypted messaging from the command line. */
@Command(
    name = "securecom",
    mixinStandardHelpOptions = true,
    version = "securecom 0.1.0",
    description = "End-to-end encrypted messaging: the server relays envelopes it cannot read.",
    footer = {"", ExitCodes.HELP},
    subcommands = {
      RegisterCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      ChatCommand.class,
      ContactsCommand.class,
      GroupCommand.class,
      GroupsCommand.class,
      FingerprintCommand.class,
      VerifyCommand.class,
      AcceptCommand.class,
      DevicesCommand.class,
      LinkCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SecureCom implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Options every command takes, before or after the command's name. */
  @CommandLine.Mixin ProfileOptions profile;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line, configured as the launcher runs it (tests run it in-process the same way).
   */
  public static CommandLine commandLine() {
    return commandLine(new ProfileOptions());
  }

  /** The same over {@code options}, whose secrets and keyring a test may have replaced. */
  static CommandLine commandLine(ProfileOptions options) {
    SecureCom root = new SecureCom();
    root.profile = options;
    return new CommandLine(root)
        .setExecutionStrategy(SecureCom::checkServerThenRun)
        .setExecutionExceptionHandler(new FailureHandler())
        .setOut(
            new PrintWriter(
                new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
        .setErr(
            new PrintWriter(
                new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
  }

  /**
   * Refuses an insecure {@code --server} before any command runs (so before a password is asked for
   * or anything is sent); help and version requests run whatever the address.
   */
  private static int checkServerThenRun(CommandLine.ParseResult parsed) {
    boolean help = false;
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      help |=
          p.isUsageHelpRequested()
              || p.isVersionHelpRequested()
              || p.commandSpec().userObject() instanceof CommandLine.HelpCommand;
    }
    SecureCom root = (SecureCom) parsed.commandSpec().userObject();
    if (!help && parsed.hasSubcommand()) {
      try {
        TransportPolicy.require(root.profile.server);
      } catch (RuntimeException refused) {
        throw new CommandLine.ExecutionException(
            parsed.commandSpec().commandLine(), refused.getMessage(), refused);
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
