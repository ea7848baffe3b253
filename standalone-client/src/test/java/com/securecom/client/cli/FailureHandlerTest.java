package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.app.DeviceNotRemovableException;
import com.securecom.client.app.DeviceRemovedException;
import com.securecom.client.app.MessageRejectedException;
import com.securecom.client.app.NotLoggedInException;
import com.securecom.client.app.UnknownPeerException;
import com.securecom.client.app.UntrustedDeviceListException;
import com.securecom.client.app.UntrustedIdentityException;
import com.securecom.client.app.UntrustedServerException;
import com.securecom.client.keyring.KeyringException;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.InsecureTransportException;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.client.store.ProfileLockedException;
import com.securecom.client.store.WeakPassphraseException;
import com.securecom.client.store.WrongPassphraseException;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.devices.Refusal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every expected failure becomes its documented exit code ({@link ExitCodes}) and one line on
 * stderr.
 */
class FailureHandlerTest {
  private final StringWriter err = new StringWriter();
  private final CommandLine cmd =
      new CommandLine(new SecureCom()).setErr(new PrintWriter(err, true));

  private int handle(Exception failure) {
    return new FailureHandler().handleExecutionException(failure, cmd, null);
  }

  @Test
  void eachFailure_hasItsExitCode() {
    Map<Exception, Integer> expected =
        Map.ofEntries(
            Map.entry(new WeakPassphraseException("too weak"), ExitCodes.USAGE),
            Map.entry(new WrongPassphraseException(), ExitCodes.PROFILE),
            Map.entry(new ProfileLockedException(), ExitCodes.PROFILE),
            Map.entry(new KeyringException("no keyring"), ExitCodes.PROFILE),
            Map.entry(new InsecureTransportException("plain http"), ExitCodes.INSECURE),
            Map.entry(
                new ServerUnreachableException("https://chat.example.org/", null),
                ExitCodes.UNREACHABLE),
            Map.entry(new NotLoggedInException("not logged in"), ExitCodes.NOT_AUTHENTICATED),
            Map.entry(new UnknownPeerException("bob"), ExitCodes.UNKNOWN_USER),
            Map.entry(new UntrustedIdentityException("new key"), ExitCodes.UNTRUSTED),
            Map.entry(new UntrustedServerException("key changed"), ExitCodes.UNTRUSTED),
            Map.entry(
                new MessageRejectedException("unknown_recipient", "no such user"),
                ExitCodes.UNKNOWN_USER),
            Map.entry(new MessageRejectedException("queue_full", "full"), ExitCodes.REJECTED),
            Map.entry(
                new MessageRejectedException(MessageRejectedException.UNSIGNED_DEVICE, "not sent"),
                ExitCodes.UNTRUSTED_DEVICE_LIST),
            Map.entry(
                new com.securecom.client.app.LinkFailedException("expired"), ExitCodes.LINK_FAILED),
            Map.entry(
                new MessageRejectedException("upgrade_required", "linked devices"),
                ExitCodes.REJECTED),
            Map.entry(new ApiException(401, "unauthorized", "no"), ExitCodes.NOT_AUTHENTICATED),
            Map.entry(new ApiException(404, "unknown_user", "no"), ExitCodes.UNKNOWN_USER),
            Map.entry(new ApiException(429, "rate_limited", "slow down"), ExitCodes.RATE_LIMITED),
            Map.entry(new ApiException(409, "username_taken", "taken"), ExitCodes.USAGE),
            Map.entry(new ApiException(400, "invalid", "bad"), ExitCodes.USAGE),
            Map.entry(new ApiException(500, "http_500", "oops"), ExitCodes.FAILURE),
            Map.entry(
                new ChannelException(CloseCodes.UNAUTHORIZED, "expired"),
                ExitCodes.NOT_AUTHENTICATED),
            Map.entry(
                new ChannelException(CloseCodes.RATE_LIMITED, "slow"), ExitCodes.RATE_LIMITED),
            Map.entry(
                new ChannelException(CloseCodes.POLICY, "wrong server key"), ExitCodes.UNTRUSTED),
            Map.entry(
                new ChannelException(CloseCodes.DEVICE_REMOVED, "removed"),
                ExitCodes.DEVICE_REMOVED),
            Map.entry(new DeviceRemovedException("alice"), ExitCodes.DEVICE_REMOVED),
            Map.entry(
                new UntrustedDeviceListException("alice", Refusal.BAD_SIGNATURE),
                ExitCodes.UNTRUSTED_DEVICE_LIST),
            Map.entry(
                new UntrustedDeviceListException("alice", Refusal.ROLLBACK),
                ExitCodes.UNTRUSTED_DEVICE_LIST),
            Map.entry(new DeviceNotRemovableException("this device"), ExitCodes.USAGE),
            Map.entry(
                new ChannelException(CloseCodes.UPGRADE_REQUIRED, "upgrade"), ExitCodes.FAILURE),
            Map.entry(new ChannelException(CloseCodes.SERVER_ERROR, "oops"), ExitCodes.FAILURE),
            Map.entry(new IllegalStateException("a bug"), ExitCodes.FAILURE));

    expected.forEach(
        (failure, code) -> assertThat(handle(failure)).as(failure.toString()).isEqualTo(code));
  }

  @Test
  void aMissingProfile_isExplained_withWhereItWasLookedFor() {
    int code =
        handle(
            new UncheckedIOException(
                new NoSuchFileException("/home/alice/.securecom/profiles/x/alice")));

    assertThat(code).isEqualTo(ExitCodes.PROFILE);
    assertThat(err.toString())
        .isEqualTo(
            "securecom: no profile at /home/alice/.securecom/profiles/x/alice; run"
                + " 'securecom register' first (profiles are per server and user: check --server and --user)"
                + System.lineSeparator());
  }

  @Test
  void channelCloses_areSaidInWords() {
    handle(new ChannelException(CloseCodes.UNAUTHORIZED, "x"));
    handle(new ChannelException(CloseCodes.CONNECTED_ELSEWHERE, "x"));
    handle(new ChannelException(CloseCodes.DEVICE_REMOVED, "x"));
    handle(new ChannelException(CloseCodes.UPGRADE_REQUIRED, "x"));
    handle(new ChannelException(CloseCodes.SERVER_ERROR, "internal"));

    assertThat(err.toString().lines())
        .containsExactly(
            "securecom: the server refused the session (expired or logged out, or another of your"
                + " devices removed this one); run 'securecom login' (it says which)",
            "securecom: this account connected from somewhere else",
            "securecom: this device was removed from your account; it no longer sends or receives"
                + " messages",
            "securecom: this account has linked devices, which this version of securecom cannot"
                + " use; install a securecom that speaks relay version 4",
            "securecom: the connection failed: internal (code 1011)");
  }

  @Test
  void aRemovedDevice_isSaidToBeRemovedFromItsAccount_whenTheProfileIsKnown() {
    SecureCom root = new SecureCom();
    root.profile = new ProfileOptions();
    root.profile.user = "alice";
    CommandLine withProfile = new CommandLine(root).setErr(new PrintWriter(err, true));

    new FailureHandler()
        .handleExecutionException(
            new ChannelException(CloseCodes.DEVICE_REMOVED, "device removed"), withProfile, null);

    assertThat(err.toString())
        .isEqualTo(
            "securecom: this device was removed from account alice; it no longer sends or"
                + " receives messages"
                + System.lineSeparator());
  }

  @Test
  void anUnexpectedFailure_printsOneLine_andNoStackTrace() {
    handle(new IllegalStateException(new IOException("disk full")));

    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("securecom: java.io.IOException");
  }
}
