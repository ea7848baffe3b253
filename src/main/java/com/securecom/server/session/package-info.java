/**
 * Login sessions: password login with throttling, one device per token (login names it, 1 if not),
 * bearer tokens stored only as SHA-256 hashes, expiry, logout that revokes a token everywhere
 * (announced as a {@link com.securecom.server.session.TokenRevoked} event), and the filter that
 * authenticates every protected REST call into the standard {@code SecurityContext}. Depends on
 * {@code account}, {@code device}, {@code ratelimit}, {@code persistence}, {@code audit} and the
 * generic {@code web}; never on the relay or channel.
 */
package com.securecom.server.session;
