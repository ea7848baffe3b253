/**
 * Operations: readiness (the database answers), start-up (migrate, load the server key, log it) and
 * the timer that purges expired messages and sessions. Depends on the domain packages, which do not
 * depend on it.
 */
package com.securecom.server.ops;
