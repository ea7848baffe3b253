package com.securecom.client.cli;

import com.securecom.client.app.Contact;
import com.securecom.client.app.Vault;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "contacts",
    mixinStandardHelpOptions = true,
    description = "List the people you have exchanged keys with and their status.")
final class ContactsCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Vault vault = root.profile.openForReading()) {
      List<Contact> contacts = root.profile.accounts().contacts(vault);
      var out = spec.commandLine().getOut();
      if (contacts.isEmpty()) {
        out.println("No contacts yet. Send someone a message: securecom send <user> <text>");
      }
      for (Contact c : contacts) {
        out.printf("%-32s %s%n", c.username(), status(c));
      }
    }
    return ExitCodes.OK;
  }

  /** What the user must know about a contact's key. */
  static String status(Contact c) {
    return c.pending() != null
        ? "NEW KEY WAITING - compare and verify (or accept) before sending"
        : c.verified() ? "verified" : "not verified";
  }
}
