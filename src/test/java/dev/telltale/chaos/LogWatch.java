package dev.telltale.chaos;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tees {@code System.err} (where slf4j-simple writes, looked up at every write) and keeps the WARN
 * and ERROR lines: an event loop that survives a failure only logs it ("unexpected failure; the
 * loop goes on", "I/O handler failed", "task failed on"), and a callback or completion that threw
 * is only logged too, so a chaos run must look at the log to see them.
 */
final class LogWatch implements AutoCloseable {
  private final PrintStream original = System.err;
  private final List<String> lines = new ArrayList<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private int tail;

  LogWatch() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        record(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        record(b, off, len);
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  private synchronized void record(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        String line = current.toString(StandardCharsets.UTF_8);
        current.reset();
        if (line.contains(" ERROR ") || line.contains(" WARN ")) {
          lines.add(line);
          tail = 6; // and the start of its stack trace
        } else if (tail > 0) {
          tail--;
          lines.add("    " + line.strip());
        }
      } else {
        current.write(b[i]);
      }
    }
  }

  /** The WARN and ERROR lines logged so far (first lines of each entry). */
  synchronized List<String> problems() {
    return List.copyOf(lines);
  }

  /** Each logged entry (its line and the start of its stack trace) once, with its count. */
  synchronized List<String> distinctEntries() {
    java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    StringBuilder entry = null;
    for (String line : lines) {
      if (!line.startsWith("    ")) {
        if (entry != null) {
          counts.merge(entry.toString(), 1, Integer::sum);
        }
        entry = new StringBuilder(line.replaceAll("telltale-loop-[0-9]+", "telltale-loop-N"));
      } else if (entry != null) {
        entry.append("\n      ").append(line);
      }
    }
    if (entry != null) {
      counts.merge(entry.toString(), 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    counts.forEach((text, n) -> out.add(n + "x " + text));
    return out;
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
