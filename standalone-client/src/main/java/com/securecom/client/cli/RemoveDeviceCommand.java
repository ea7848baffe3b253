package com.securecom.client.cli;

import com.securecom.client.app.OwnDevices;
import com.securecom.client.app.Vault;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = {
      "Remove device ID from your account (run it on another of your devices): your identity key"
          + " signs the list without it; the server then ends its sessions and drops what waits"
          + " for it."
    })
final class RemoveDeviceCommand implements Callable<Integer> {
  @ParentCommand DevicesCommand devices;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      converter = Arguments.DeviceId.class,
      description = "The device, as 'securecom devices' lists it.")
  int deviceId;

  @Option(names = "--yes", description = "Do not ask.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    ProfileOptions profile = devices.root.profile;
    var out = spec.commandLine().getOut();
    try (Vault vault = profile.open()) {
      OwnDevices own = profile.ownDevices();
      OwnDevices.Device device = own.list(vault).removable(deviceId);
      if (!yes && !profile.questions().confirmed(out, question(device))) {
        out.println("Nothing was removed.");
        return ExitCodes.FAILURE;
      }
      own.remove(vault, deviceId);
      out.println("Removed device " + deviceId + ".");
    }
    return ExitCodes.OK;
  }

  private static String question(OwnDevices.Device device) {
    return "Remove device "
        + device.id()
        + (device.name() == null
            ? ""
            : " (" + TerminalText.printable(device.name(), DeviceTable.NAME_LENGTH) + ")")
        + "? It will no longer receive your messages. [y/N] ";
  }
}
