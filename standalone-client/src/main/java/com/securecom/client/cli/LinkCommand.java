package com.securecom.client.cli;

import com.securecom.client.app.DeviceLinking;
import com.securecom.client.app.Vault;
import com.securecom.client.store.PassphrasePolicy;
import com.securecom.client.store.WeakPassphraseException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Fingerprint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Make this machine a new device of an existing account: shows a link code (text and QR code)"
          + " to enter on a device of that account with 'securecom devices link', then makes this"
          + " device's profile with the account's identity and contacts.",
      "The new device reads every message sent to the account from then on, and can act as it."
    })
final class LinkCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      description = "What your devices list this one as (e.g. laptop); the server sees it.")
  String name;

  @Option(
      names = "--server-key",
      description =
          "The server key the operator published (base64); without it the key the server shows now"
              + " is pinned (trust on first use), and must be the one your other device pinned.")
  String serverKey;

  @Option(names = "--no-qr", description = "Show the code as text only.")
  boolean noQr;

  @Override
  public Integer call() throws Exception {
    char[] passphrase = newPassphrase();
    try {
      DeviceLinking linking =
          new DeviceLinking(root.profile.api(), new SecureRandom(), Clock.systemUTC());
      DeviceLinking.Pending pending =
          linking.open(serverKey == null ? null : Bytes.fromBase64(serverKey));
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Server key fingerprint ("
              + (serverKey == null ? "pinned on first use" : "as published")
              + "): "
              + Fingerprint.of(pending.serverKey()));
      out.println("On a device of your account, run:  securecom devices link");
      out.println(
          "and enter this code (it expires at "
              + TIME.format(Instant.ofEpochSecond(pending.code().expiresAt()))
              + "):");
      out.println();
      out.println("  " + pending.code().text());
      if (!noQr) {
        out.println();
        out.print(TerminalQr.render(pending.code().qrText()));
      }
      out.println();
      out.println("Waiting for the other device...");
      out.flush();
      DeviceLinking.Grant grant = linking.receive(pending);
      root.profile.user = grant.username();
      Path dir = root.profile.directory(grant.username());
      try (Vault vault = linking.link(dir, grant, passphrase, name)) {
        out.println(
            "This device is now device "
                + grant.deviceId()
                + " of "
                + grant.username()
                + " ("
                + grant.contacts().size()
                + " contact(s) copied). Profile: "
                + dir);
      }
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    return ExitCodes.OK;
  }

  /** The new profile's passphrase, asked first, so that nobody waits on the other device for it. */
  private char[] newPassphrase() throws java.io.IOException {
    char[] passphrase = root.profile.secrets().newPassphrase();
    try {
      if (passphrase.length == 0) {
        throw new WeakPassphraseException(
            "an empty passphrase is refused: anyone who copies the profile could read your keys."
                + " Choose a passphrase of at least "
                + PassphrasePolicy.MIN_LENGTH
                + " characters (four or more random words work well)");
      }
      PassphrasePolicy.check(
          passphrase, List.of(Objects.toString(root.profile.server.getHost(), "")));
    } catch (WeakPassphraseException e) {
      Arrays.fill(passphrase, '\0');
      throw e;
    }
    return passphrase;
  }
}
