package com.securecom.protocol.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on how a channel ends. */
final class ChannelAssertions {
  private ChannelAssertions() {}

  /**
   * {@code call} throws a {@link ChannelException} that closes the connection with {@code
   * closeCode}.
   */
  static AbstractThrowableAssert<?, ? extends Throwable> assertClosesWith(
      int closeCode, ThrowingCallable call) {
    return assertClosesWith(closeCode, "", call);
  }

  /** As {@link #assertClosesWith(int, ThrowingCallable)}, naming the case in a failure. */
  static AbstractThrowableAssert<?, ? extends Throwable> assertClosesWith(
      int closeCode, String description, ThrowingCallable call) {
    return assertThatThrownBy(call)
        .as(description)
        .isExactlyInstanceOf(ChannelException.class)
        .satisfies(
            e ->
                assertThat(((ChannelException) e).closeCode())
                    .as("close code %s", description)
                    .isEqualTo(closeCode));
  }
}
