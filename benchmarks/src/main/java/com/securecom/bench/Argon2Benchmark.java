package com.securecom.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Argon2id at the server's configured cost (m=19456 KiB, t=2, p=1), as PasswordHasher runs it, and
 * at the client profile's cost (RFC 9106's second option, m=65536 KiB, t=3, p=4), as the standalone
 * client's profile store runs it on every unlock. The ratio of the two is what a profile's
 * passphrase gained against offline guessing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class Argon2Benchmark {
  private final byte[] salt = new byte[16];
  private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public byte[] argon2idOwaspMinimum() {
    return derive(19456, 2, 1);
  }

  @Benchmark
  public byte[] argon2idClientProfile() {
    return derive(65536, 3, 4);
  }

  private byte[] derive(int memoryKib, int iterations, int parallelism) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build());
    byte[] out = new byte[32];
    generator.generateBytes(password, out);
    return out;
  }
}
