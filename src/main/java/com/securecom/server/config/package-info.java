/**
 * Application-wide producers: the clock and the source of randomness every service injects, so that
 * tests can control time; and the data directory ({@code securecom.data.dir}), kept private to the
 * server's user. Depends on nothing else in the server.
 */
package com.securecom.server.config;
