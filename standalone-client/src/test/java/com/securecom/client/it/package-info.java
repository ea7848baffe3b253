/**
 * End-to-end tests (failsafe, {@code *IT}): real clients, in this JVM through the app API and as
 * child processes through the command line, against a real server (Payara Micro running the WAR the
 * root build made). Fixtures here may reach into the server's database, as a malicious server
 * could; they never change the code under test.
 */
package com.securecom.client.it;
