/**
 * The {@code securecom} command line (picocli): one class per command, one place that turns failures into a
 * one-line message and a documented exit code, and the interactive chat (JLine). Depends on {@code app} only
 * (and {@code store} for locating profiles).
 */
package com.securecom.client.cli;
