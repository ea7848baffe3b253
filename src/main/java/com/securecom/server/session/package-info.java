/**
 * Login sessions: password login with throttling, bearer tokens stored only as SHA-256 hashes, expiry, logout that
 * revokes a token everywhere (announced as a {@link com.securecom.server.session.TokenRevoked} event), and the
 * filter that authenticates every protected REST call. Depends on {@code account} and {@code ratelimit}.
 */
package com.securecom.server.session;
