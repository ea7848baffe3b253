/**
 * The one test kit of the repository's integration tests: {@link com.securecom.testkit.PayaraMicro}
 * (the server as a child process, and {@link com.securecom.testkit.Cluster} of them), {@link
 * com.securecom.testkit.TestDatabase} (H2 or PostgreSQL), {@link
 * com.securecom.testkit.SelfSignedTls}, {@link com.securecom.testkit.TcpProxy}, {@link
 * com.securecom.testkit.Nginx} (a reverse proxy) and {@link com.securecom.testkit.CliProcess}. It
 * knows nothing of the server's or the client's classes, so that every project's tests can use it;
 * test-scope dependency only.
 */
package com.securecom.testkit;
