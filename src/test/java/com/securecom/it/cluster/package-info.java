/**
 * Integration tests of a cluster: several Payara Micro nodes started as processes (not Arquillian),
 * forming one data grid over one PostgreSQL database, with users connected to different nodes and
 * nodes killed. PostgreSQL only ({@code -Ppostgres}); skipped on H2.
 */
package com.securecom.it.cluster;
