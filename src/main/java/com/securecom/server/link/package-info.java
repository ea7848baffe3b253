/**
 * The provisioning mailboxes of linking a device (docs/design/linked-devices.md, "Linking"): a new
 * device, which has no account yet, opens a mailbox named by a hash of the secret in its link code;
 * an existing device of the account, logged in, puts the sealed provisioning message in it once;
 * the new device takes it, which deletes the mailbox. The server never reads the message and keeps
 * a mailbox for minutes only. Depends on {@code device} (the caller), {@code persistence}, {@code
 * ratelimit} and the generic {@code web}.
 */
package com.securecom.server.link;
