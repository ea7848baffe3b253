/**
 * Small, documented wrappers over the primitives SecureCom uses: X25519, Ed25519 and HKDF-SHA256
 * from Bouncy Castle's lightweight API (never registered as a JCE provider) and AES-256-GCM from
 * the JDK. Callers never touch a raw {@code Cipher}, and the public types choose their nonces
 * themselves ({@link RandomNonceAesGcm}); the AES-GCM that takes a caller's nonce, for formats
 * whose nonces are counters or derived, is in {@code .internal}. Depends on nothing else in
 * SecureCom but that subpackage, which is part of it.
 */
package com.securecom.protocol.crypto;
