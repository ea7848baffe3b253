package com.securecom.client.cli;

import com.securecom.client.app.Vault;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "fingerprint",
    mixinStandardHelpOptions = true,
    description = "Show the safety number you and <peer> must both see.")
final class FingerprintCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.openForReading()) {
      var out = spec.commandLine().getOut();
      SafetyNumbers.show(
          root.profile.accounts(), vault, peer, "securecom verify " + peer, out::println);
    }
    return ExitCodes.OK;
  }
}
