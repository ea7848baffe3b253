/**
 * Fixtures shared by the server's unit tests: a fresh migrated in-memory database, a database that
 * counts its transactions, a clock tests move by hand, a recording CDI event, a counting password
 * hasher and client-side key generation. No mocks: each is the real thing made cheap or observable.
 */
package com.securecom.server.testing;
