package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Vault;
import com.securecom.client.keyring.Keyring;
import com.securecom.client.store.PassphrasePolicy;
import com.securecom.client.store.ProfileKeyring;
import com.securecom.client.store.WeakPassphraseException;
import com.securecom.protocol.crypto.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Create your keys and profile, register the account, and log in.",
      "The profile passphrase must have at least "
          + PassphrasePolicy.MIN_LENGTH
          + " characters and be rated strong"
          + " (zxcvbn 4 of 4): a copy of the profile can be attacked offline. Four or more random words work well."
    })
final class RegisterCommand implements Callable<Integer> {
  static final String EMPTY_PASSPHRASE =
      "an empty passphrase is refused: anyone who copies the profile could read"
          + " your keys. Choose a passphrase of at least "
          + PassphrasePolicy.MIN_LENGTH
          + " characters (four or more"
          + " random words work well), or use --no-passphrase to keep a random key in the OS keyring instead";

  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      converter = Arguments.Username.class,
      description = "Username: 3-32 of a-z 0-9 . _ -")
  String username;

  @Option(
      names = "--server-key",
      description =
          "The server key the operator published (base64); without it the"
              + " key the server shows now is pinned (trust on first use).")
  String serverKey;

  @Option(
      names = "--no-passphrase",
      description =
          "No passphrase: keep a random profile key in the OS keyring"
              + " (Linux: libsecret's secret-tool) and never ask. Whoever can read your unlocked keyring can open the profile.")
  boolean noPassphrase;

  @Override
  public Integer call() throws Exception {
    root.profile.user = username;
    Path dir = root.profile.directory(username);
    Keyring keyring =
        noPassphrase ? root.profile.keyringForNewProfile() : null; // before any question
    String password = root.profile.secrets().password(true);
    ProfileKeyring.NewKey newKey =
        noPassphrase
            ? ProfileKeyring.newKey(
                dir,
                keyring,
                "SecureCom profile key of " + username + " at " + root.profile.server,
                ProfileOptions.RANDOM)
            : null;
    char[] passphrase = noPassphrase ? newKey.key() : newPassphrase(dir);
    Accounts accounts = root.profile.accounts();
    try (Vault vault =
        accounts.register(
            dir,
            username,
            password,
            passphrase,
            serverKey == null ? null : Bytes.fromBase64(serverKey))) {
      var out = spec.commandLine().getOut();
      out.println("Registered " + username + " at " + root.profile.server + ".");
      out.println(
          "Server key fingerprint (pinned"
              + (serverKey == null ? " on first use" : "")
              + "): "
              + vault.info().serverFingerprint());
      out.println("Profile: " + dir + (noPassphrase ? " (its key is in the OS keyring)" : ""));
    } catch (IOException | RuntimeException e) {
      if (newKey != null) {
        try {
          ProfileKeyring.discardUnused(
              dir, keyring, newKey.entry()); // the key of a profile that was not made
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    return ExitCodes.OK;
  }

  /**
   * Asks for the new passphrase and refuses it, saying why, unless it meets {@link
   * PassphrasePolicy}.
   */
  private char[] newPassphrase(Path dir) throws IOException {
    char[] passphrase = root.profile.secrets().newPassphrase();
    try {
      if (passphrase.length == 0) {
        throw new WeakPassphraseException(EMPTY_PASSPHRASE);
      }
      PassphrasePolicy.check(
          passphrase, List.of(username, Objects.toString(root.profile.server.getHost(), "")));
    } catch (WeakPassphraseException e) {
      Arrays.fill(passphrase, '\0');
      throw e;
    }
    ProfileKeyring.discardStale(
        dir, root.profile.keyring()); // left by a --no-passphrase attempt that never finished
    return passphrase;
  }
}
