package com.securecom.bench;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client-server channel: sealing and opening one 1 KiB frame, and the server's half of the
 * handshake.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ChannelBenchmark {
  private final SecureRandom random = new SecureRandom();
  private final byte[] payload = new byte[1024];
  private Ed25519.KeyPair serverIdentity;
  private ServerHandshake serverHandshake;
  private byte[] clientHello;
  private SecureChannel client;
  private SecureChannel server;

  @Setup(Level.Iteration)
  public void open() throws ChannelException {
    random.nextBytes(payload);
    serverIdentity = Ed25519.generate(random);
    serverHandshake = new ServerHandshake(serverIdentity, random);
    ClientHandshake handshake = new ClientHandshake(serverIdentity.publicKey(), random);
    clientHello = handshake.hello();
    ServerHandshake.Result result = serverHandshake.respond(clientHello);
    server = result.channel();
    client = handshake.finish(result.serverHello());
  }

  /** Seal 1 KiB on one side and open it on the other (AES-256-GCM, counter nonce, AD). */
  @Benchmark
  public byte[] sealAndOpen1KiB() throws ChannelException {
    return server.open(client.seal(payload));
  }

  /**
   * The server's handshake: ephemeral X25519, agreement, Ed25519 signature of the transcript, HKDF.
   */
  @Benchmark
  public ServerHandshake.Result serverHandshake() throws ChannelException {
    return serverHandshake.respond(clientHello);
  }
}
