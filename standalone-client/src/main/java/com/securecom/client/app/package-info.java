/**
 * The client's application logic: what a profile holds ({@link com.securecom.client.app.Vault}),
 * registration and login ({@link com.securecom.client.app.Accounts}), and messaging, split by job:
 * the {@link com.securecom.client.app.Outbox} sends, the {@link com.securecom.client.app.Inbox}
 * receives, the {@link com.securecom.client.app.IdentityStore} keeps the pins and their rules, the
 * {@link com.securecom.client.app.SessionStore} the ratchets, {@link
 * com.securecom.client.app.PeerTrust} binds sessions to pins (the one identity check on every
 * encrypt and decrypt), {@link com.securecom.client.app.PreKeyMaintenance} keeps prekeys up, and
 * the {@link com.securecom.client.app.Messenger} composes them over one relay connection. Depends
 * on {@code e2e}, {@code net} and {@code store}; the command line depends on it.
 */
package com.securecom.client.app;
