package com.securecom.client.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code securecom}: end-to-end encrypted messaging from the command line. */
@Command(name = "securecom", mixinStandardHelpOptions = true, version = "securecom 0.1.0",
    description = "End-to-end encrypted messaging: the server relays envelopes it cannot read.",
    footer = {"", ExitCodes.HELP},
    subcommands = {RegisterCommand.class, LoginCommand.class, LogoutCommand.class, SendCommand.class,
        ReceiveCommand.class, ChatCommand.class, ContactsCommand.class, FingerprintCommand.class,
        VerifyCommand.class, AcceptCommand.class, CommandLine.HelpCommand.class})
public final class SecureCom implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Options every command takes, before or after the command's name. */
  @CommandLine.Mixin
  ProfileOptions profile;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line, configured as the launcher runs it (tests run it in-process the same way). */
  public static CommandLine commandLine() {
    return new CommandLine(new SecureCom())
        .setExecutionExceptionHandler(new FailureHandler())
        .setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
