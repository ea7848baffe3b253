/**
 * What operators see of security-relevant events (logins, failed logins, registrations, rate
 * limits, channel closes): a line on the {@code securecom.audit} logger and a MicroProfile counter
 * each, never a password, token, key or message content. Depends on nothing else in the server.
 */
package com.securecom.server.audit;
