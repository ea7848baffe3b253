package com.securecom.client.cli;

import java.util.Locale;

/**
 * What a line typed in {@code chat} asks for, as in irssi and weechat: a line starting with {@code
 * /} is a command, never sent; {@code //} sends the rest of the line starting with {@code /};
 * anything else is a message.
 */
sealed interface ChatLine {
  String HELP =
      """
      /help         this list
      /quit         leave the chat (also Ctrl-D)
      /fingerprint  the safety number of you and %1$s, to compare with %1$s
      /verify       mark %1$s verified after comparing the safety number
      /contacts     the people you have exchanged keys with
      //text        sends "/text" (a message that starts with /)
      Your lines show the time and "(sent)" once the server stored them; "(delivered to %1$s: ...)" follows when
      %1$s's client has the message. The server does not say whether %1$s is online: until then it waits there.""";

  /** {@link #HELP} in a group chat: no safety number of one peer, and no receipts. */
  String GROUP_HELP =
      """
      /help         this list
      /quit         leave the chat (also Ctrl-D)
      /contacts     the people you have exchanged keys with ('securecom fingerprint USER' per member)
      //text        sends "/text" (a message that starts with /)
      Your lines show the time and "(sent)" once the server stored them for every member; group messages
      get no delivered or read receipts.""";

  /** A message to send, exactly as typed (backslashes, quotes and all). */
  record Text(String text) implements ChatLine {}

  /** A command: its name, lower case, without the slash. */
  record Command(String name) implements ChatLine {}

  /** Nothing to do (an empty line). */
  record Blank() implements ChatLine {}

  static ChatLine of(String line) {
    if (line.isBlank()) {
      return new Blank();
    }
    if (line.startsWith("//")) {
      return new Text(line.substring(1));
    }
    if (line.startsWith("/")) {
      return new Command(line.substring(1).trim().toLowerCase(Locale.ROOT));
    }
    return new Text(line);
  }
}
