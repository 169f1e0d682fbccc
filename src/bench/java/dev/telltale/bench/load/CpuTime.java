package dev.telltale.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time (user + system, all threads) from {@code /proc/PID/stat}, in clock ticks. */
final class CpuTime {
  /** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
  static final int TICKS_PER_SECOND = 100;

  private CpuTime() {}

  static long processTicks() {
    return ticks("self");
  }

  /** utime + stime of {@code pid} ("self" for this process). */
  static long ticks(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
