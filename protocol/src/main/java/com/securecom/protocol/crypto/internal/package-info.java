/**
 * Primitives that are safe only when their caller keeps a promise the type system cannot check
 * (like Tink's {@code internal} packages): today the AES-GCM that takes a caller's nonce. Only
 * published formats whose nonces are structural use it, each saying why its nonces never repeat;
 * everything else uses the public types of {@code com.securecom.protocol.crypto}. Depends only on
 * that package's {@code DecryptionFailedException}.
 */
package com.securecom.protocol.crypto.internal;
