package com.securecom.client.cli;

import com.securecom.client.app.Accounts;
import com.securecom.client.app.Contact;
import com.securecom.client.app.Vault;
import com.securecom.client.e2e.SafetyNumber;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What {@code fingerprint} and {@code verify} show and ask, for those commands and for the chat's
 * {@code /fingerprint} and {@code /verify}: one wording, and one path to marking a contact
 * verified.
 */
final class SafetyNumbers {
  private SafetyNumbers() {}

  /**
   * Prints the safety number with {@code peer}'s pinned identity, and the one with a pending new
   * identity if there is one; {@code verifyHow} is how the user marks it verified where they are
   * ({@code securecom verify bob} or {@code /verify}).
   */
  static void show(
      Accounts accounts, Vault vault, String peer, String verifyHow, Consumer<String> out) {
    SafetyNumber number = accounts.safetyNumber(vault, peer);
    Contact contact = accounts.contact(vault, peer);
    out.accept("Safety number of " + vault.info().username() + " and " + peer + ":");
    out.accept("");
    out.accept("    " + number.display());
    out.accept("");
    out.accept(
        contact.verified()
            ? "You verified it."
            : "Compare it with "
                + peer
                + " (in person or on a call);"
                + " if it matches, run: "
                + verifyHow);
    accounts
        .pendingSafetyNumber(vault, peer)
        .ifPresent(
            pending -> {
              out.accept("");
              out.accept(
                  "A message came from a NEW identity key of "
                      + peer
                      + ". A changed key means "
                      + peer
                      + " registered again (a new installation) or the server is misbehaving. Sending to "
                      + peer
                      + " is blocked until you decide. The safety number with the NEW key:");
              out.accept("");
              out.accept("    " + pending.display());
              out.accept("");
              out.accept(
                  "If "
                      + peer
                      + " sees exactly this number, run: "
                      + verifyHow
                      + (contact.verified()
                          ? ""
                          : "   (or accept it unverified: securecom accept " + peer + ")"));
            });
  }

  /**
   * Marks {@code peer} verified: after showing the number to compare (a pending new identity's, if
   * one is pending) and asking, unless {@code ask} is null (the user said {@code --yes}).
   *
   * @param ask shows a question and returns the answer (null at the end of input)
   * @return true if the contact is now verified
   */
  static boolean verify(
      Accounts accounts,
      Vault vault,
      String peer,
      Consumer<String> out,
      UnaryOperator<String> ask) {
    Optional<SafetyNumber> pending = accounts.pendingSafetyNumber(vault, peer);
    SafetyNumber number = pending.orElseGet(() -> accounts.safetyNumber(vault, peer));
    if (ask != null) {
      out.accept(
          (pending.isPresent()
                  ? "Safety number of "
                      + vault.info().username()
                      + " and the NEW identity key"
                      + " of "
                      + peer
                  : "Safety number of " + vault.info().username() + " and " + peer)
              + ":");
      out.accept("    " + number.display());
      String answer = ask.apply("Does " + peer + " see exactly this number? [y/N] ");
      if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
        out.accept("Not verified.");
        return false;
      }
    }
    accounts.verify(vault, peer);
    out.accept(
        peer
            + " is verified. If their key ever changes, securecom will refuse to send until you verify"
            + " again.");
    return true;
  }
}
