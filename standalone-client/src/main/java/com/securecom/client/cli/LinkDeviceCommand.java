package com.securecom.client.cli;

import com.securecom.client.app.DeviceLinking;
import com.securecom.client.app.LinkFailedException;
import com.securecom.client.app.Vault;
import com.securecom.protocol.devices.LinkCode;
import com.securecom.protocol.devices.LinkCodeException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Link a new device to your account: enter the code it shows ('securecom link' on the new"
          + " device). It gets your identity and contacts, and reads your messages from then on."
    })
final class LinkDeviceCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  @ParentCommand DevicesCommand devices;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "CODE",
      description = "The code the new device shows (asked for if left out).")
  String text;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    ProfileOptions profile = devices.root.profile;
    var out = spec.commandLine().getOut();
    if (text == null) {
      text = profile.questions().line(out, "Link code: ");
    }
    LinkCode code = read(text);
    Clock clock = Clock.systemUTC();
    if (code.isExpired(clock.instant())) {
      throw new LinkFailedException(
          "this link code expired at "
              + TIME.format(Instant.ofEpochSecond(code.expiresAt()))
              + "; ask the new device for a new one");
    }
    if (!yes
        && !profile
            .questions()
            .confirmed(
                out,
                "The device showing this code will read all your future messages and can act as"
                    + " you. Link it? [y/N] ")) {
      out.println("Nothing was linked.");
      return ExitCodes.FAILURE;
    }
    DeviceLinking linking = new DeviceLinking(profile.api(), new SecureRandom(), clock);
    try (Vault vault = profile.open()) {
      DeviceLinking.Sent sent = linking.send(vault, code);
      if (sent.contactsLeftOut() > 0) {
        spec.commandLine()
            .getErr()
            .println(
                sent.contactsLeftOut()
                    + " contact(s) did not fit the link message; the new device pins them when it"
                    + " first talks to them (compare safety numbers there)");
      }
      out.println("Sent; waiting for the new device to finish...");
      out.flush();
      if (!linking.awaitLinked(
          vault, sent.deviceId(), Instant.ofEpochSecond(code.expiresAt()).plusSeconds(60))) {
        throw new LinkFailedException(
            "the new device did not finish linking; your devices are unchanged");
      }
      out.println("Linked device " + sent.deviceId() + ".");
    }
    return ExitCodes.OK;
  }

  /** The code, or a usage error saying why it is not one, before anything is sent. */
  private static LinkCode read(String text) {
    try {
      return LinkCode.read(text);
    } catch (LinkCodeException e) {
      throw new UsageException(
          switch (e.reason()) {
            case UNREADABLE, CHECKSUM -> "this is not a link code; check for a typo";
            case VERSION -> "this link code was made by a newer SecureCom; update this one";
            case KEY -> "this is not a link code";
          });
    }
  }
}
