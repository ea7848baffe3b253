/**
 * The database: Flyway migrations, the EclipseLink persistence unit built from MicroProfile Config,
 * the transaction helper the JPA repositories share, and their bounded purge of expired rows
 * ({@code ExpiryPurge}). Knows no domain package (only {@code config}, for the data directory); the
 * domain packages' JPA repositories depend on it.
 */
package com.securecom.server.persistence;
