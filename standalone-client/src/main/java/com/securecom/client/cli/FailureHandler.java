package com.securecom.client.cli;

import com.securecom.client.app.DeviceNotRemovableException;
import com.securecom.client.app.DeviceRemovedException;
import com.securecom.client.app.LinkFailedException;
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
import com.securecom.client.net.UntrustedCertificateException;
import com.securecom.client.store.ProfileChangedException;
import com.securecom.client.store.ProfileLockedException;
import com.securecom.client.store.WeakPassphraseException;
import com.securecom.client.store.WrongPassphraseException;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.wire.ErrorCodes;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns every expected failure into one line on stderr and its exit code; never a stack trace for
 * those.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
  /** The code of a 401 to a bearer token (a login's 401 is {@code invalid_credentials}). */
  private static final String UNAUTHORIZED = "unauthorized";

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable failure = e;
    if (failure instanceof java.io.UncheckedIOException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    int code = exitCode(failure);
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof NoSuchFileException missing) {
      message =
          "no profile at "
              + missing.getFile()
              + "; run 'securecom register' first"
              + " (profiles are per server and user: check --server and --user)";
    } else if (failure instanceof FileAlreadyExistsException) {
      message = "a profile already exists at " + message;
    } else if (failure instanceof ChannelException ce) {
      message = closeMessage(ce.closeCode(), ce.getMessage(), account(cmd));
    } else if (failure instanceof ApiException api && api.status() == 401) {
      message =
          api.getMessage()
              + (UNAUTHORIZED.equals(api.code())
                  ? " (the server no longer accepts this device's session: it ended, or another of"
                      + " your devices removed this one; 'securecom login' says which)"
                  : " (wrong username or password, or the session ended)");
    }
    cmd.getErr().println("securecom: " + message);
    if (code == ExitCodes.FAILURE && Boolean.getBoolean("securecom.debug")) {
      failure.printStackTrace(cmd.getErr());
    }
    return code;
  }

  static int exitCode(Throwable failure) {
    if (failure instanceof WeakPassphraseException
        || failure instanceof UsageException
        || failure instanceof DeviceNotRemovableException) {
      return ExitCodes.USAGE;
    }
    if (failure instanceof UntrustedDeviceListException) {
      return ExitCodes.UNTRUSTED_DEVICE_LIST;
    }
    if (failure instanceof DeviceRemovedException) {
      return ExitCodes.DEVICE_REMOVED;
    }
    if (failure instanceof LinkFailedException) {
      return ExitCodes.LINK_FAILED;
    }
    if (failure instanceof WrongPassphraseException
        || failure instanceof ProfileLockedException
        || failure instanceof ProfileChangedException
        || failure instanceof NoProfileException
        || failure instanceof NoSuchFileException
        || failure instanceof FileAlreadyExistsException
        || failure instanceof KeyringException) {
      return ExitCodes.PROFILE;
    }
    if (failure instanceof InsecureTransportException) {
      return ExitCodes.INSECURE;
    }
    if (failure instanceof UntrustedCertificateException) {
      return ExitCodes.UNTRUSTED;
    }
    if (failure instanceof ServerUnreachableException) {
      return ExitCodes.UNREACHABLE;
    }
    if (failure instanceof NotLoggedInException) {
      return ExitCodes.NOT_AUTHENTICATED;
    }
    if (failure instanceof UnknownPeerException) {
      return ExitCodes.UNKNOWN_USER;
    }
    if (failure instanceof UntrustedIdentityException
        || failure instanceof UntrustedServerException) {
      return ExitCodes.UNTRUSTED;
    }
    if (failure instanceof MessageRejectedException rejected
        && MessageRejectedException.UNSIGNED_DEVICE.equals(rejected.code())) {
      return ExitCodes.UNTRUSTED_DEVICE_LIST;
    }
    if (failure instanceof MessageRejectedException rejected) {
      return rejected.code().equals(ErrorCodes.UNKNOWN_RECIPIENT)
          ? ExitCodes.UNKNOWN_USER
          : ExitCodes.REJECTED;
    }
    if (failure instanceof ApiException api) {
      return switch (api.status()) {
        case 401 -> ExitCodes.NOT_AUTHENTICATED;
        case 404 -> ExitCodes.UNKNOWN_USER;
        case 429 -> ExitCodes.RATE_LIMITED;
        case 400, 409 -> ExitCodes.USAGE;
        default -> ExitCodes.FAILURE;
      };
    }
    if (failure instanceof ChannelException ce) {
      return switch (ce.closeCode()) {
        case CloseCodes.UNAUTHORIZED -> ExitCodes.NOT_AUTHENTICATED;
        case CloseCodes.RATE_LIMITED -> ExitCodes.RATE_LIMITED;
        case CloseCodes.POLICY -> ExitCodes.UNTRUSTED;
        case CloseCodes.DEVICE_REMOVED -> ExitCodes.DEVICE_REMOVED;
        default -> ExitCodes.FAILURE;
      };
    }
    return ExitCodes.FAILURE;
  }

  /** The account of the profile the command ran on, or null if it was not found. */
  private static String account(CommandLine cmd) {
    return cmd.getCommandSpec().root().userObject() instanceof SecureCom root
            && root.profile != null
        ? root.profile.user
        : null;
  }

  /** What a connection that ended with {@code code} means to the user. */
  static String closeMessage(int code, String reason) {
    return closeMessage(code, reason, null);
  }

  /** The same, naming {@code account} (null: "your account") where it helps. */
  static String closeMessage(int code, String reason, String account) {
    return switch (code) {
      case CloseCodes.UNAUTHORIZED ->
          "the server refused the session (expired or logged out, or another of your devices"
              + " removed this one); run 'securecom login' (it says which)";
      case CloseCodes.CONNECTED_ELSEWHERE -> "this account connected from somewhere else";
      case CloseCodes.DEVICE_REMOVED ->
          "this device was removed from "
              + (account == null ? "your account" : "account " + account)
              + "; it no longer sends or receives messages";
      case CloseCodes.UPGRADE_REQUIRED ->
          "this account has linked devices, which this version of securecom cannot use;"
              + " install a securecom that speaks relay version 4";
      case CloseCodes.RATE_LIMITED ->
          "rate limited (too many connections from this address, or sending too fast); try again"
              + " in a minute";
      default -> "the connection failed: " + reason + " (code " + code + ")";
    };
  }
}
