/**
 * Application-wide producers: the clock and the source of randomness every service injects, so that
 * tests can control time. Depends on nothing else in the server.
 */
package com.securecom.server.config;
