package com.securecom.client.cli;

import com.securecom.client.app.Vault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Mark <peer>'s identity verified after you compared safety numbers.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", converter = Arguments.Username.class, description = "The other user.")
  String peer;

  @Option(names = "--yes", description = "Do not ask: the numbers were compared.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      var out = spec.commandLine().getOut();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      boolean verified =
          SafetyNumbers.verify(
              root.profile.accounts(),
              vault,
              peer,
              out::println,
              yes
                  ? null
                  : question -> {
                    out.print(question);
                    out.flush();
                    try {
                      return in.readLine();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      if (!verified) {
        return ExitCodes.UNTRUSTED;
      }
    }
    return ExitCodes.OK;
  }
}
