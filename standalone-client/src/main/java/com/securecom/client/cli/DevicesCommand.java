package com.securecom.client.cli;

import com.securecom.client.app.OwnDevices;
import com.securecom.client.app.Vault;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = {
      "List the devices of your account: those your identity key signed, the one you are on marked.",
      "Fails with exit code 12 if the server presents a list your identity key did not sign."
    },
    subcommands = {LinkDeviceCommand.class, RemoveDeviceCommand.class})
final class DevicesCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.open()) {
      OwnDevices.Listing listing = root.profile.ownDevices().list(vault);
      var out = spec.commandLine().getOut();
      new DeviceTable(Clock.systemDefaultZone()).lines(listing).forEach(out::println);
      if (!listing.unsigned().isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "!! the server also reports device(s) "
                    + listing.unsigned()
                    + " of account "
                    + listing.account()
                    + ", which your identity key has not signed: they get none of your messages"
                    + " (the server is misbehaving)");
        return ExitCodes.UNTRUSTED_DEVICE_LIST;
      }
    }
    return ExitCodes.OK;
  }
}
