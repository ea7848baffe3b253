/**
 * JMH benchmarks of SecureCom's hot paths: channel frames, the server's handshake, X3DH, the Double
 * Ratchet and Argon2id. Run: {@code mvn -f benchmarks package && java -jar
 * benchmarks/target/benchmarks.jar}.
 */
package com.securecom.bench;
