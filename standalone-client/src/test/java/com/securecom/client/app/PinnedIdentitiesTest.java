package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.IdentityStore.Direction;
import com.securecom.client.app.IdentityStore.Origin;
import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The pin rules of docs/protocol.md, "Identities and pins", on an in-memory {@link IdentityStore}.
 */
class PinnedIdentitiesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdentityStore store = PinnedIdentities.inMemory();
  private final PeerIdentity bob = identity("bob");
  private final PeerIdentity bobReinstalled = identity("bob");
  private final PeerIdentity mallory = identity("bob");

  private static PeerIdentity identity(String name) {
    return LocalIdentity.generate(RANDOM).publicIdentity(name);
  }

  @Test
  void beforeAnyPin_nothingIsSendable_butAnyIdentityMayBeReceivedFrom() {
    assertThat(store.contact("bob")).isEmpty();
    assertThat(store.isTrusted("bob", bob, Direction.SENDING)).isFalse();
    assertThat(store.isTrusted("bob", bob, Direction.RECEIVING)).isTrue();
  }

  @Test
  void firstUse_pins_andASecondIdentityDoesNotReplaceThePin() {
    Contact first = store.pinIfNew(bob);
    Contact again = store.pinIfNew(mallory);

    assertThat(first.matches(bob)).isTrue();
    assertThat(first.verified()).isFalse();
    assertThat(again).isEqualTo(first);
    assertThat(store.isTrusted("bob", bob, Direction.SENDING)).isTrue();
    assertThat(store.isTrusted("bob", mallory, Direction.SENDING)).isFalse();
    assertThat(store.isTrusted("bob", mallory, Direction.RECEIVING)).isFalse();
  }

  @Test
  void aMessageUnderAnotherIdentity_makesItPending_andBlocksSendingEvenToThePin() {
    store.pinIfNew(bob);

    assertThat(store.authenticated("bob", bob)).isEqualTo(Origin.PINNED);
    assertThat(store.authenticated("bob", bobReinstalled)).isEqualTo(Origin.NEW_PENDING);
    assertThat(store.authenticated("bob", bobReinstalled))
        .as("announced once")
        .isEqualTo(Origin.PENDING);

    Contact bobNow = store.contact("bob").orElseThrow();
    assertThat(bobNow.matches(bob)).as("the pin stays").isTrue();
    assertThat(bobNow.pending().sameKeysAs(bobReinstalled)).isTrue();
    assertThat(store.isTrusted("bob", bob, Direction.SENDING)).isFalse();
    assertThat(store.isTrusted("bob", bobReinstalled, Direction.SENDING)).isFalse();
    assertThat(store.isTrusted("bob", bob, Direction.RECEIVING)).isTrue();
    assertThat(store.isTrusted("bob", bobReinstalled, Direction.RECEIVING)).isTrue();
  }

  @Test
  void aThirdIdentity_replacesThePendingOne_notThePin() {
    store.pinIfNew(bob);
    store.authenticated("bob", bobReinstalled);

    assertThat(store.authenticated("bob", mallory)).isEqualTo(Origin.NEW_PENDING);

    assertThat(store.contact("bob").orElseThrow().matches(bob)).isTrue();
    assertThat(store.isTrusted("bob", bobReinstalled, Direction.RECEIVING)).isFalse();
    assertThat(store.isTrusted("bob", mallory, Direction.RECEIVING)).isTrue();
  }

  @Test
  void aFirstMessage_pinsItsIdentity() {
    assertThat(store.authenticated("bob", bob)).isEqualTo(Origin.PINNED);

    assertThat(store.isTrusted("bob", bob, Direction.SENDING)).isTrue();
  }

  @Test
  void verify_adoptsThePendingIdentity_asTheVerifiedPin() {
    store.pinIfNew(bob);
    store.authenticated("bob", bobReinstalled);

    Contact verified = store.verify("bob");

    assertThat(verified.matches(bobReinstalled)).isTrue();
    assertThat(verified.verified()).isTrue();
    assertThat(verified.pending()).isNull();
    assertThat(store.isTrusted("bob", bobReinstalled, Direction.SENDING)).isTrue();
    assertThat(store.isTrusted("bob", bob, Direction.RECEIVING))
        .as("the old pin is gone")
        .isFalse();
  }

  @Test
  void accept_adoptsThePendingIdentity_unverified_onlyIfThePinWasNotVerified() {
    store.pinIfNew(bob);
    assertThatThrownBy(() -> store.accept("bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no new key");

    store.authenticated("bob", bobReinstalled);
    Contact accepted = store.accept("bob");
    assertThat(accepted.matches(bobReinstalled)).isTrue();
    assertThat(accepted.verified()).isFalse();

    store.verify("bob");
    store.authenticated("bob", mallory);
    assertThatThrownBy(() -> store.accept("bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("you verified the current key");
    assertThat(store.contact("bob").orElseThrow().matches(bobReinstalled)).isTrue();
    assertThat(store.isTrusted("bob", mallory, Direction.SENDING)).isFalse();
  }

  @Test
  void contacts_listsEveryPin_byName() {
    store.pinIfNew(identity("carol"));
    store.pinIfNew(bob);

    assertThat(store.contacts()).extracting(Contact::username).containsExactly("bob", "carol");
  }
}
