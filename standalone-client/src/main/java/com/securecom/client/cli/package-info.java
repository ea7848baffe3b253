/**
 * The {@code securecom} command line (picocli): one class per command, one place that turns
 * failures into a one-line message and a documented exit code, and the interactive chat (JLine).
 * Depends on {@code app}, on {@code store} for locating profiles and its passphrase policy, and on
 * {@code keyring} for {@code --no-passphrase}.
 */
package com.securecom.client.cli;
