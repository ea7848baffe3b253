package com.securecom.bench;

import com.securecom.server.channel.container.InboundFence;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the server does with the bytes of one masked 1,100-byte client frame (a relay {@code send}
 * of a 1 KiB envelope) before the relay sees them, both ways, in one run:
 *
 * <ul>
 *   <li>{@link #containerUnmasks}: the container unmasks. Tyrus's own {@code Masker} (the version
 *       Payara Micro 6 bundles) as its {@code ProtocolHandler.unframe} uses it: a new masker per
 *       frame, the key read, the payload unmasked.
 *   <li>{@link #fenceUnmasks}: what the server does now. {@link InboundFence} unmasks the frame in
 *       place and drops the key, then Tyrus's masker, which has no key left, only copies the
 *       payload.
 * </ul>
 *
 * Both start from the same masked bytes, copied into the read buffer as the socket would; the fence
 * is the connection's, past its first two messages. Tyrus's class is package-private, so it is
 * reached through method handles, resolved once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class InboundFrameBenchmark {
  private static final int PAYLOAD = 1_100;
  private static final int HEADER = 4; // 0x82, 126, and a 16-bit length
  private static final int KEY = 4;

  private final byte[] masked = new byte[HEADER + KEY + PAYLOAD];
  private final byte[] read = new byte[masked.length];
  private final InboundFence fence = new InboundFence();
  private MethodHandle newMasker;
  private MethodHandle readMask;
  private MethodHandle unmask;

  @Setup
  public void frame() throws ReflectiveOperationException {
    SplittableRandom random = new SplittableRandom(1);
    masked[0] = (byte) 0x82;
    masked[1] = (byte) (0x80 | 126);
    masked[2] = (byte) (PAYLOAD >>> 8);
    masked[3] = (byte) PAYLOAD;
    for (int i = HEADER; i < masked.length; i++) {
      masked[i] = (byte) random.nextInt();
    }
    byte[] small = {(byte) 0x82, (byte) 0x80, 1, 2, 3, 4};
    fence.accept(small.clone(), 0, small.length); // the ClientHello and auth: the limits after them
    fence.accept(small.clone(), 0, small.length);
    Class<?> masker = Class.forName("org.glassfish.tyrus.core.Masker");
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    var constructor = masker.getConstructor(ByteBuffer.class);
    constructor.setAccessible(true);
    var readMaskMethod = masker.getMethod("readMask");
    readMaskMethod.setAccessible(true);
    var unmaskMethod = masker.getMethod("unmask", int.class);
    unmaskMethod.setAccessible(true);
    newMasker =
        lookup
            .unreflectConstructor(constructor)
            .asType(MethodType.methodType(Object.class, ByteBuffer.class));
    readMask =
        lookup.unreflect(readMaskMethod).asType(MethodType.methodType(void.class, Object.class));
    unmask =
        lookup
            .unreflect(unmaskMethod)
            .asType(MethodType.methodType(byte[].class, Object.class, int.class));
  }

  /** Before: Tyrus reads the key and unmasks the payload itself. */
  @Benchmark
  public byte[] containerUnmasks() throws Throwable {
    System.arraycopy(masked, 0, read, 0, masked.length);
    ByteBuffer buffer = ByteBuffer.wrap(read, HEADER, KEY + PAYLOAD);
    Object masker = newMasker.invokeExact(buffer);
    readMask.invokeExact(masker);
    return (byte[]) unmask.invokeExact(masker, PAYLOAD);
  }

  /** Now: the fence unmasks in place and drops the key; Tyrus, finding no key, copies. */
  @Benchmark
  public byte[] fenceUnmasks() throws Throwable {
    System.arraycopy(masked, 0, read, 0, masked.length);
    int passed = fence.accept(read, 0, read.length);
    ByteBuffer buffer = ByteBuffer.wrap(read, HEADER, passed - HEADER);
    Object masker = newMasker.invokeExact(buffer);
    return (byte[]) unmask.invokeExact(masker, PAYLOAD);
  }
}
