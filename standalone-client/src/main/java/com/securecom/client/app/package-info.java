/**
 * The client's application logic: what a profile holds, registration and login, and the {@link
 * com.securecom.client.app.Messenger} that turns "send this text to bob" into an end-to-end encrypted envelope on the
 * relay, and delivered envelopes back into text, pinning and checking identities on the way. Depends on
 * {@code e2e}, {@code net} and {@code store}; the command line depends on it.
 */
package com.securecom.client.app;
