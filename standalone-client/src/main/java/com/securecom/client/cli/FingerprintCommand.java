package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Contact;
import com.securecom.client.app.Vault;
import com.securecom.client.e2e.SafetyNumber;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fingerprint", mixinStandardHelpOptions = true,
    description = "Show the safety number you and <peer> must both see.")
final class FingerprintCommand implements Callable<Integer> {
  @ParentCommand
  SecureCom root;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      Accounts accounts = root.profile.accounts();
      SafetyNumber number = accounts.safetyNumber(vault, peer);
      Contact contact = accounts.contact(vault, peer);
      var out = spec.commandLine().getOut();
      out.println("Safety number of " + vault.info().username() + " and " + peer + ":");
      out.println();
      out.println("    " + number.display());
      out.println();
      out.println(contact.verified() ? "You verified it." : "Compare it with " + peer + " (in person or on a call);"
          + " if it matches, run: securecom verify " + peer);
      accounts.pendingSafetyNumber(vault, peer).ifPresent(pending -> {
        out.println();
        out.println("A message came from a NEW identity key of " + peer + ". A changed key means " + peer
            + " registered again (a new installation) or the server is misbehaving. Sending to " + peer
            + " is blocked until you decide. The safety number with the NEW key:");
        out.println();
        out.println("    " + pending.display());
        out.println();
        out.println("If " + peer + " sees exactly this number, run: securecom verify " + peer
            + (contact.verified() ? "" : "   (or accept it unverified: securecom accept " + peer + ")"));
      });
    }
    return ExitCodes.OK;
  }
}
