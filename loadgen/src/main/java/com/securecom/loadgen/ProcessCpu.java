package com.securecom.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process on this machine has used between the first and the last {@link #sample},
 * from {@code /proc/PID/stat} (user + system, in clock ticks of 1/100 s), as a mean number of cores
 * over the wall time between the two samples.
 */
final class ProcessCpu {
  private final long pid;
  private long ticksAtStart = -1;
  private long ticksAtEnd;
  private long wallStart;
  private long wallEnd;

  /** A process by id; {@code pid <= 0} measures nothing. */
  ProcessCpu(long pid) {
    this.pid = pid;
  }

  /** utime + stime in clock ticks, or -1 when the process cannot be read. */
  private long ticks() {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  synchronized void sample() {
    long ticks = ticks();
    if (ticks >= 0) {
      if (ticksAtStart < 0) {
        ticksAtStart = ticks;
        wallStart = System.nanoTime();
      }
      ticksAtEnd = ticks;
      wallEnd = System.nanoTime();
    }
  }

  /** Mean cores between the first and the last sample, or NaN when fewer than two were taken. */
  synchronized double cores() {
    double seconds = (wallEnd - wallStart) / 1e9;
    return ticksAtStart < 0 || seconds <= 0
        ? Double.NaN
        : (ticksAtEnd - ticksAtStart) / 100.0 / seconds;
  }
}
