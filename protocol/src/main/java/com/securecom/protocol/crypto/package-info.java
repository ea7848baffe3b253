/**
 * Small, documented wrappers over the primitives SecureCom uses: X25519, Ed25519 and HKDF-SHA256 from Bouncy
 * Castle's lightweight API (never registered as a JCE provider) and AES-256-GCM from the JDK. Callers never touch
 * a raw {@code Cipher} or choose a nonce. Depends on nothing else in SecureCom.
 */
package com.securecom.protocol.crypto;
