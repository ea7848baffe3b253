/**
 * JMH benchmarks of SecureCom's hot paths: channel frames, the server's handshake, the relay's fast
 * path in process (the server's own classes, from the WAR's attached classes jar), X3DH, the Double
 * Ratchet and Argon2id. Run: {@code mvn package -DskipTests -pl benchmarks -am && java -jar
 * benchmarks/target/benchmarks.jar}.
 */
package com.securecom.bench;
