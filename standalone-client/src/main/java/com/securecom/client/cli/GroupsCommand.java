package com.securecom.client.cli;

import com.securecom.client.app.Contact;
import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import com.securecom.client.app.Vault;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description =
        "List your groups: name, short id, your role, and each member with the status of their key"
            + " as 'contacts' shows it.")
final class GroupsCommand implements Callable<Integer> {
  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    try (Vault vault = root.profile.openForReading()) {
      String me = vault.info().username();
      List<KnownGroup> groups = Groups.list(vault);
      Map<String, String> status = new HashMap<>();
      for (Contact c : root.profile.accounts().contacts(vault)) {
        status.put(c.username(), ContactsCommand.status(c));
      }
      if (groups.isEmpty()) {
        out.println("No groups yet. Make one: securecom group create NAME USER...");
      }
      for (KnownGroup g : groups) {
        out.printf(
            "%s  %s  you: %s%n",
            GroupLines.tag(g.state().name()), GroupLines.shortId(g.state().id()), g.role(me));
        for (String member : g.state().members()) {
          String role =
              g.state().creator().equals(member)
                  ? " (creator)"
                  : g.state().admins().contains(member) ? " (admin)" : "";
          out.printf(
              "  %-32s %s%n",
              member + role, member.equals(me) ? "you" : status.getOrDefault(member, "no key yet"));
        }
      }
    }
    return ExitCodes.OK;
  }
}
