/**
 * Integration tests against a real Payara Micro running the built WAR (Arquillian), over H2 by
 * default and over PostgreSQL in the {@code postgres} profile. Each test class starts one Payara
 * Micro, so tests are grouped by deployment: the REST API, the channel and relay, and the
 * repositories in the container.
 */
package com.securecom.it;
