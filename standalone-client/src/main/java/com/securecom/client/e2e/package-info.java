/**
 * The end-to-end peer protocol (docs/protocol.md, "Peer protocol (end to end)"): identities and
 * prekey bundles, X3DH with separate Ed25519 signing and X25519 DH identity keys, the Double
 * Ratchet, the envelope the relay carries, the message payload inside it and the safety number.
 * Depends only on {@code protocol.crypto}, {@code protocol.wire} (the relay id rule) and Jakarta
 * JSON; never on the client's network, store or user interface packages.
 */
package com.securecom.client.e2e;
