package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.securecom.browser.support.Browsers;
import com.securecom.browser.support.ChatPage;
import com.securecom.it.support.Api;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import java.net.URL;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What users of other messengers' web clients expect of the browser client's screens (issue 13,
 * item 9): a time on every message and a separator between days (and the time of the last message
 * in the list of conversations), the message box at the bottom of an empty conversation, a repeated
 * password at registration, and on a phone a count of what is unread in the other conversations.
 * The windows run in British English (Browsers), so times read 24-hour and dates day-first.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserUiIT {
  private static final String PASSWORD = "correct horse battery staple";
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  @RegisterExtension static final Browsers browsers = new Browsers();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String hhmm(long epochMillis) {
    return HH_MM.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
  }

  @Test
  void everyMessage_showsItsTime_underASeparatorForItsDay() throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    long before = System.currentTimeMillis();
    a.startConversation(bob).send("Hello Bob.");
    b.openConversation(alice).waitIncoming("Hello Bob.");
    long after = System.currentTimeMillis();
    List<String> hello = List.of(hhmm(before) + " Hello Bob.", hhmm(after) + " Hello Bob.");

    assertThat(b.transcript())
        .as("the first message of the day comes under 'Today'")
        .hasSize(2)
        .startsWith("-- Today --")
        .last()
        .isIn(hello);
    assertThat(a.meta("out", "Hello Bob.")).matches("\\d\\d:\\d\\d · .+");

    // An older history, as this browser stored it (the times the user saw then are kept).
    LocalDate today = LocalDate.now();
    long tenDaysAgo =
        today.minusDays(10).atTime(9, 5).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    long yesterday =
        today.minusDays(1).atTime(23, 50).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    a.addToHistory(alice, bob, "in", "Ten days ago, from Bob.", tenDaysAgo);
    a.addToHistory(alice, bob, "out", "Yesterday, late.", yesterday);
    a.addToHistory(alice, bob, "in", "Yesterday, Bob's answer.", yesterday + 60_000);
    a.load().waitConnected().openConversation(bob).waitIncoming("Yesterday, Bob's answer.");

    List<String> transcript = a.transcript();
    assertThat(transcript).hasSize(7);
    assertThat(transcript.subList(1, 6))
        .containsExactly(
            "09:05 Ten days ago, from Bob.",
            "-- Yesterday --",
            "23:50 Yesterday, late.",
            "23:51 Yesterday, Bob's answer.",
            "-- Today --");
    assertThat(transcript.get(6)).isIn(hello);
    assertThat(a.contactText(bob))
        .as("the list says when the last message was")
        .containsAnyOf(hhmm(before), hhmm(after));
    LocalDate older = today.minusDays(10);
    assertThat(transcript.get(0))
        .as("a day beyond the last week: its date, in the user's language")
        .startsWith("-- ")
        .endsWith(" --")
        .contains(older.getMonth().getDisplayName(TextStyle.FULL, Locale.UK))
        .contains(String.valueOf(older.getDayOfMonth()))
        .doesNotContain("Today")
        .doesNotContain("Yesterday");
    if (older.getYear() != today.getYear()) {
      assertThat(transcript.get(0)).contains(String.valueOf(older.getYear()));
    }
    String datetime =
        (String)
            a.script(
                "return document.querySelector('#messages li.message time')"
                    + ".getAttribute('datetime')");
    assertThat(Instant.parse(datetime))
        .as("the time is machine-readable too")
        .isEqualTo(Instant.ofEpochMilli(tenDaysAgo));
    Browsers.screenshot(a.driver, "days-desktop");
    a.resize(390, 760);
    Browsers.screenshot(a.driver, "days-phone");
  }

  @Test
  void emptyConversation_keepsTheMessageBoxAtTheBottom_onADesktopAndOnAPhone() throws Exception {
    String alice = name("alice");
    TestUser bob = TestUser.named("bob");
    new Api(base).register(bob, 5);
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    a.startConversation(bob.username);
    assertThat(a.displayed("messages-empty")).isTrue();
    for (int[] size : new int[][] {{1280, 800}, {390, 760}}) {
      a.resize(size[0], size[1]);
      Map<String, Number> pane = a.rect("conversation-pane");
      Map<String, Number> composer = a.rect("composer");
      String where = size[0] + " px wide";
      assertThat(composer.get("bottom").doubleValue())
          .as(where + ": composer ends where the pane ends")
          .isCloseTo(pane.get("bottom").doubleValue(), within(1.0));
      assertThat(composer.get("top").doubleValue())
          .as(where + ": composer in the lower part of the pane")
          .isGreaterThan(pane.get("top").doubleValue() + pane.get("height").doubleValue() / 2);
      Browsers.screenshot(a.driver, "empty-conversation-" + size[0]);
    }
  }

  @Test
  void registration_withPasswordsThatDiffer_isRefusedBeforeAnyRequest() throws Exception {
    String alice = name("alice");
    ChatPage a = browsers.open("alice", base);
    a.click("tab-login");
    assertThat(a.showsRepeatPassword()).as("logging in asks for the password once").isFalse();
    List<String> before = a.apiRequests();

    a.register(alice, PASSWORD, PASSWORD + "!");
    assertThat(a.authError())
        .isEqualTo("The two passwords differ. Type the same password in both fields.");
    assertThat(a.showsRepeatPassword()).isTrue();
    assertThat(a.view()).isEqualTo("auth");
    assertThat(a.apiRequests()).as("no request left the page").isEqualTo(before);
    Browsers.screenshot(a.driver, "register-mismatch");

    // Nothing was created: the same name can be registered now, with the password typed the same
    // twice.
    a.register(alice, PASSWORD).waitConnected();
  }

  @Test
  void onAPhone_inAConversation_theBackButtonCountsWhatIsUnreadElsewhere() throws Exception {
    String alice = name("alice");
    String bob = name("bob");
    TestUser carol = TestUser.named("carol");
    new Api(base).register(carol, 5);
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    a.resize(390, 760);
    a.startConversation(carol.username);
    assertThat(a.backUnread()).isEmpty();

    b.startConversation(alice).send("Psst, Alice.");
    b.send("Are you there?");
    a.waitUntil("unread count on the back button", () -> "2".equals(a.backUnread()));
    assertThat(a.script("return document.getElementById('back').getAttribute('aria-label')"))
        .isEqualTo("Back to conversations, 2 unread");
    Browsers.screenshot(a.driver, "unread-elsewhere-phone");

    a.click("back");
    a.waitUntil("contact list", () -> a.displayed("contacts-pane"));
    assertThat(a.contactUnread(bob)).isEqualTo("2");
    assertThat(a.contactUnread(carol.username)).isEmpty();
    Browsers.screenshot(a.driver, "unread-contacts-phone");
    a.openConversation(bob).waitIncoming("Are you there?");
    assertThat(a.backUnread()).as("nothing unread elsewhere").isEmpty();
    a.click("back");
    a.waitUntil("bob's count cleared", () -> a.contactUnread(bob).isEmpty());
  }

  /**
   * Group conversations (issue 15): a group made with the "New group" form is listed with its mark
   * for every member, each member's texts reach the others with their sender shown, the manage
   * panel lists the members with their roles and verification, a name from another user is shown as
   * text, and a removed member keeps the conversation readable but cannot write to it and gets
   * nothing written after.
   */
  @Test
  void threeBrowsers_inAGroup_readEachOther_andARemovedMemberCanReadButNotWrite() {
    String alice = name("alice");
    String bob = name("bob");
    String carol = name("carol");
    String group = "<b>Climbing</b> & co";
    ChatPage a = browsers.open("alice", base).register(alice, PASSWORD).waitConnected();
    ChatPage b = browsers.open("bob", base).register(bob, PASSWORD).waitConnected();
    ChatPage c = browsers.open("carol", base).register(carol, PASSWORD).waitConnected();

    a.createGroup(group, bob, carol);
    assertThat(a.groupChanges()).containsExactly("You created " + group + ".");
    b.openGroup(group);
    c.openGroup(group);
    assertThat(b.listsGroup(group)).as("listed with the group mark").isTrue();
    assertThat(b.groupChanges())
        .singleElement()
        .asString()
        .startsWith(alice + " added you to " + group);
    assertThat(b.script("return document.querySelector('#contact-list b') === null"))
        .as("the name is text, not HTML")
        .isEqualTo(true);

    a.send("Hi both");
    b.waitIncoming("Hi both");
    c.waitIncoming("Hi both");
    assertThat(b.sender("Hi both")).isEqualTo(alice);
    b.send("Hi from bob");
    a.waitIncoming("Hi from bob");
    c.waitIncoming("Hi from bob");
    assertThat(c.sender("Hi from bob")).isEqualTo(bob);
    c.send("Hi from carol");
    a.waitIncoming("Hi from carol");
    b.waitIncoming("Hi from carol");
    a.waitUntil(
        "the server accepted alice's text",
        () -> java.util.Set.of("sent", "reached").contains(a.state("Hi both")));

    assertThat(a.groupMembers())
        .containsExactly(
            alice + " creator you", bob + " member not verified", carol + " member not verified");

    a.removeFromGroup(carol);
    b.waitUntil("bob sees carol removed", () -> b.groupChanges().size() == 2);
    c.waitUntil(
        "carol is told",
        () -> c.groupChanges().contains(alice + " removed you from " + group + "."));
    c.waitUntil("carol's composer is disabled", c::sendBlocked);
    assertThat(c.displayed("group-left")).isTrue();

    b.send("Only us now");
    a.waitIncoming("Only us now");
    c.load().waitConnected().openGroup(group);
    assertThat(c.message("in", "Only us now")).as("carol got no copy").isEmpty();
    assertThat(c.message("in", "Hi from bob")).as("carol can still read the history").isPresent();
  }
}
