package com.securecom.client.cli;

/** The documented exit codes of {@code securecom} (also printed by {@code --help}). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int PROFILE = 3;
  public static final int UNREACHABLE = 4;
  public static final int NOT_AUTHENTICATED = 5;
  public static final int UNKNOWN_USER = 6;
  public static final int UNTRUSTED = 7;
  public static final int RATE_LIMITED = 8;
  public static final int REJECTED = 9;
  public static final int INSECURE = 10;
  public static final int QUEUED = 11;
  public static final int UNTRUSTED_DEVICE_LIST = 12;
  public static final int DEVICE_REMOVED = 13;
  public static final int LINK_FAILED = 14;

  static final String HELP =
      """
      Exit codes:
        0  success
        1  unexpected failure
        2  wrong usage, or a new passphrase too weak (the message says why)
        3  profile problem: wrong passphrase, no such profile, profile in use by
           another securecom, or no OS keyring for a --no-passphrase profile
        4  server unreachable
        5  not logged in: wrong password, session expired or logged out (run 'securecom login')
        6  unknown user
        7  untrusted: the server's key or a verified contact's identity key changed, or the server's TLS
           certificate is not trusted (see SECURECOM_TRUSTSTORE)
        8  rate limited: wait and try again
        9  the server refused the message (e.g. the recipient's queue is full)
       10  insecure server address: plain http:// is allowed only to localhost, 127.0.0.0/8 and [::1];
           use https:// (nothing was sent)
       11  queued: the server was unreachable, so send encrypted the message into the outbox; the next chat,
           send or receive sends it (do not send it again: that would be a second message)
       12  untrusted device list: the server presents a list of your devices that your identity key did not
           sign, or an older one than this device knows, or a device no list of yours names (nothing of it is
           used); or, sending, it insists on a device of the recipient that their identity key did not sign
           (the message was not sent)
       13  this device was removed from its account by another of your devices; it can no longer log in
       14  linking a device failed: the code expired or was used, the message did not match the code, or the
           server refused the new device (the message says which); both devices are as they were
      Environment: SECURECOM_SERVER, SECURECOM_USER, SECURECOM_HOME, SECURECOM_PASSPHRASE, SECURECOM_PASSWORD;
      the launcher script also reads SECURECOM_TRUSTSTORE (and SECURECOM_TRUSTSTORE_PASSWORD) and JAVA_HOME.""";

  private ExitCodes() {}
}
