package com.securecom.client.cli;

import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import com.securecom.client.app.Messenger;
import com.securecom.client.app.QueuedException;
import com.securecom.client.app.Vault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = {
      "Make and change groups. Every member's client checks each change: the creator and admins"
          + " add, remove and rename; any member leaves. The server never sees the name or the"
          + " members.",
      "#GROUP is a group's exact name or at least 8 hex characters of its id ('securecom groups');"
          + " quote it in a shell, which reads a word starting with # as a comment: '#crew'."
    },
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.Add.class,
      GroupCommand.Remove.class,
      GroupCommand.Rename.class,
      GroupCommand.Admins.class,
      GroupCommand.Leave.class
    })
final class GroupCommand implements Runnable {
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(5);

  @ParentCommand SecureCom root;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * One change: connects, first handles and prints what waits for this user on the server (so the
   * change is made on every update already sent to this user), then makes and sends it, and prints
   * it once the server stored it for every member (then it applies here too).
   */
  abstract static class Change implements Callable<Integer> {
    @ParentCommand GroupCommand group;

    @Spec CommandSpec spec;

    /** Makes the change on {@code messenger}, to the group {@code #GROUP} names (null: none). */
    abstract void change(Messenger messenger, KnownGroup known);

    /** The {@code #GROUP} argument, or null for a command without one. */
    String groupArgument() {
      return null;
    }

    @Override
    public Integer call() throws Exception {
      CommandLine cli = spec.commandLine();
      Printer printer = Printer.to(cli.getOut(), cli.getErr(), false);
      ProfileOptions profile = group.root.profile;
      try (Vault vault = profile.openToSend();
          Messenger messenger = profile.messenger(vault, printer)) {
        messenger.connect();
        // First what waits on the server, printed as 'receive' prints it: a change made on a state
        // older than an update already queued here would have that update's revision and fork the
        // group (each member keeps the first of the two it gets)
        messenger.sync();
        KnownGroup known =
            groupArgument() == null
                ? null
                : GroupArgument.resolve(Groups.list(vault), groupArgument());
        try {
          change(messenger, known);
        } catch (QueuedException queued) {
          cli.getOut().println("queued: the change is sent, and applies, on the next connection");
          return ExitCodes.QUEUED;
        } catch (IllegalArgumentException refused) {
          throw new UsageException(refused.getMessage());
        }
        messenger.awaitOutbox(RECEIPT_WAIT); // the receipts for what the sync brought
      }
      return ExitCodes.OK;
    }
  }

  /** A change to the group {@code #GROUP} names. */
  abstract static class OfGroup extends Change {
    @Parameters(index = "0", paramLabel = "#GROUP", description = "The group.")
    String groupName;

    @Override
    String groupArgument() {
      return groupName;
    }
  }

  /** A change to some members of {@code #GROUP}. */
  abstract static class OfMembers extends OfGroup {
    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "USER",
        converter = Arguments.Username.class,
        description = "The users.")
    List<String> users;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Make a group named NAME with the USERs; you are its creator.")
  static final class Create extends Change {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "USER",
        converter = Arguments.Username.class,
        description = "The other members.")
    List<String> users;

    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.createGroup(name, users);
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add USERs to #GROUP.")
  static final class Add extends OfMembers {
    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.addMembers(known.state().id(), users);
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove USERs from #GROUP: they are told, and get nothing sent after it.")
  static final class Remove extends OfMembers {
    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.removeMembers(known.state().id(), users);
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename #GROUP.")
  static final class Rename extends OfGroup {
    @Parameters(index = "1", paramLabel = "NEWNAME", description = "Its new name.")
    String newName;

    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.rename(known.state().id(), newName);
    }
  }

  @Command(
      name = "admins",
      mixinStandardHelpOptions = true,
      description =
          "Make the USERs (members) exactly the admins of #GROUP, none if no USER is given;"
              + " only its creator may. Admins add, remove and rename, as the creator does.")
  static final class Admins extends OfGroup {
    @Parameters(
        index = "1..*",
        arity = "0..*",
        paramLabel = "USER",
        converter = Arguments.Username.class,
        description = "The admins.")
    List<String> users = List.of();

    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.setAdmins(known.state().id(), users);
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave #GROUP.")
  static final class Leave extends OfGroup {
    @Override
    void change(Messenger messenger, KnownGroup known) {
      messenger.leave(known.state().id());
    }
  }
}
