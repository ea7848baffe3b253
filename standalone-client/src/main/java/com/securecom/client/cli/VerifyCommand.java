package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Vault;
import com.securecom.client.e2e.SafetyNumber;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Mark <peer>'s identity verified after you compared safety numbers.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  SecureCom root;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Option(names = "--yes", description = "Do not ask: the numbers were compared.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      Accounts accounts = root.profile.accounts();
      Optional<SafetyNumber> pending = accounts.pendingSafetyNumber(vault, peer);
      SafetyNumber number = pending.orElseGet(() -> accounts.safetyNumber(vault, peer));
      var out = spec.commandLine().getOut();
      if (!yes) {
        out.println((pending.isPresent() ? "Safety number of " + vault.info().username() + " and the NEW identity key"
            + " of " + peer : "Safety number of " + vault.info().username() + " and " + peer) + ":");
        out.println("    " + number.display());
        out.print("Does " + peer + " see exactly this number? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
          out.println("Not verified.");
          return ExitCodes.UNTRUSTED;
        }
      }
      accounts.verify(vault, peer);
      out.println(peer + " is verified. If their key ever changes, securecom will refuse to send until you verify"
          + " again.");
    }
    return ExitCodes.OK;
  }
}
