package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Vault;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Adopts a contact's new identity key without comparing safety numbers: allowed only if the old key
 * was not verified (a verified contact's new key must be compared and verified).
 */
@Command(
    name = "accept",
    mixinStandardHelpOptions = true,
    description =
        "Accept <peer>'s NEW identity key unverified (only if the old one was not" + " verified).")
final class AcceptCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      Accounts accounts = root.profile.accounts();
      try {
        accounts.accept(vault, peer);
      } catch (IllegalStateException refused) {
        spec.commandLine().getErr().println("securecom: " + refused.getMessage());
        return ExitCodes.UNTRUSTED;
      }
      spec.commandLine()
          .getOut()
          .println(
              "Accepted the new key of "
                  + peer
                  + " (not verified). Compare safety"
                  + " numbers with 'securecom fingerprint "
                  + peer
                  + "' when you can.");
    }
    return ExitCodes.OK;
  }
}
