package com.securecom.client.cli;

import com.securecom.client.app.Vault;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "End your session on the server (everywhere) and forget the token.")
final class LogoutCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      root.profile.accounts().logout(vault);
      spec.commandLine().getOut().println("Logged out.");
    }
    return ExitCodes.OK;
  }
}
