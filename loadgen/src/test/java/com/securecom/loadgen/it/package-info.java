/**
 * Integration tests of the load generator against a real server: Payara Micro running the built WAR
 * as a child process, on H2 (and on PostgreSQL when {@code it.pg.url} is set). A smoke run, and a
 * server killed with SIGKILL while messages flow, which must lose no message it answered {@code
 * accepted}.
 */
package com.securecom.loadgen.it;
