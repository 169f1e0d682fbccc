package dev.telltale.tool;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The download's progress on one line of a terminal (normally stderr), redrawn in place with
 * {@code '\r'}: with a Content-Length, {@code [#########           ]  45%  4608/10240 bytes};
 * without, a byte counter {@code 4608 bytes}. Fed with the byte counts of READ_COMPLETE.
 *
 * <p>The line is only redrawn when its text changes. Since event lines go to another stream that
 * may share the terminal, {@link #clear()} blanks the line before one is printed and the next
 * update draws it again. A disabled bar ({@link #DISABLED}) prints nothing. The methods are called
 * from I/O threads (reads) and from the tracer's thread (start, finish), hence the locking.
 */
final class ProgressBar {
  /** A bar that never prints. */
  static final ProgressBar DISABLED = new ProgressBar(null);

  private static final int BAR_WIDTH = 30;

  private final PrintStream err;
  private boolean running;
  private long expected = -1;
  private long received;
  private String shown = "";

  /** A bar drawn on {@code err}; {@code null} for a disabled one. */
  ProgressBar(PrintStream err) {
    this.err = err;
  }

  /** Starts counting a body of the declared length (empty: unknown) and draws the bar at 0. */
  synchronized void start(OptionalLong contentLength) {
    if (err == null) {
      return;
    }
    running = true;
    received = 0;
    expected = contentLength.orElse(-1);
    draw();
  }

  /** Counts {@code bytes} more of the body; called for each READ_COMPLETE. */
  synchronized void advance(long bytes) {
    if (!running) {
      return;
    }
    received += bytes;
    draw();
  }

  /** Blanks the line, if drawn, so that a line printed next starts on an empty terminal line. */
  synchronized void clear() {
    if (running && !shown.isEmpty()) {
      err.print("\r" + " ".repeat(shown.length()) + "\r");
      err.flush();
      shown = "";
    }
  }

  /** Draws the final state and ends the line; the bar stays on the terminal. */
  synchronized void finish() {
    if (!running) {
      return;
    }
    draw();
    err.println();
    err.flush();
    running = false;
  }

  private void draw() {
    String line = render(received, expected);
    if (!line.equals(shown)) {
      err.print("\r" + line);
      err.flush();
      shown = line;
    }
  }

  /**
   * The bar's text for {@code received} bytes of {@code expected} (-1: unknown, a counter only).
   * More bytes than expected show as 100%.
   */
  static String render(long received, long expected) {
    if (expected < 0) {
      return received + (received == 1 ? " byte" : " bytes");
    }
    int percent = expected == 0 ? 100 : (int) Math.min(100, received * 100 / expected);
    int filled = expected == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, received * BAR_WIDTH / expected);
    return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d bytes", "#".repeat(filled),
        " ".repeat(BAR_WIDTH - filled), percent, received, expected);
  }
}
