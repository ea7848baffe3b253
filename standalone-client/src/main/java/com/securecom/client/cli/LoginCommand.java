package com.securecom.client.cli;

import com.securecom.client.app.Vault;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in with your password; the session token is kept in your profile.")
final class LoginCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      Instant expires =
          root.profile.accounts().login(vault, root.profile.secrets().password(false));
      spec.commandLine()
          .getOut()
          .println("Logged in as " + vault.info().username() + " until " + expires + ".");
    }
    return ExitCodes.OK;
  }
}
