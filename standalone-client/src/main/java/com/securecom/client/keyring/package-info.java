/**
 * The OS keyring, where a profile made with {@code --no-passphrase} keeps its random key: a small
 * {@link com.securecom.client.keyring.Keyring} interface and its Linux implementation over
 * libsecret's {@code secret-tool}. Depends on nothing else in the client; secrets pass as {@code
 * char[]} and never on a command line.
 */
package com.securecom.client.keyring;
