package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Vault;
import com.securecom.protocol.crypto.Bytes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "register", description = "Create your keys and profile, register the account, and log in.")
final class RegisterCommand implements Callable<Integer> {
  @ParentCommand
  SecureCom root;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", description = "Username: 3-32 of a-z 0-9 . _ -")
  String username;

  @Option(names = "--server-key", description = "The server key the operator published (base64); without it the"
      + " key the server shows now is pinned (trust on first use).")
  String serverKey;

  @Override
  public Integer call() throws Exception {
    root.profile.user = username;
    String password = Secrets.password(true);
    char[] passphrase = Secrets.passphrase(true);
    Accounts accounts = root.profile.accounts();
    try (Vault vault = accounts.register(root.profile.directory(username), username, password, passphrase,
        serverKey == null ? null : Bytes.fromBase64(serverKey))) {
      var out = spec.commandLine().getOut();
      out.println("Registered " + username + " at " + root.profile.server + ".");
      out.println("Server key fingerprint (pinned" + (serverKey == null ? " on first use" : "") + "): "
          + vault.info().serverFingerprint());
      out.println("Profile: " + root.profile.directory(username));
    }
    return ExitCodes.OK;
  }
}
