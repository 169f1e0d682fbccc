package dev.telltale.tool;

import dev.telltale.RequestTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's phases as a text waterfall, one line per phase, each bar starting where the previous
 * phase's ended and scaled so that the whole line is the request's total time:
 *
 * <pre>
 *   resolve    |                        #               |   11.05 ms
 *   connect    |                         #              |    8.44 ms
 *   send       |                          #             |    3.46 ms
 *   wait       |                           ###########  |   75.20 ms
 *   download   |                                      ##|   11.35 ms
 *   first byte                                             255.29 ms
 *   total                                                  266.65 ms
 * </pre>
 *
 * <p>The phases are {@link RequestTimings}': queued, resolve, connect, tls, send, wait (the
 * server's) and download. Phases a request did not go through (zero) are left out; one that took
 * less than a column still gets one. Time to the first byte that no phase accounts for (starting
 * the I/O thread, handing the request to it, following redirects) is left blank before the first
 * bar, so that wait ends at the first byte and download starts there. A pure function of the
 * timings: the same record always renders the same lines.
 */
final class Waterfall {
  /** The width of the bars' area, in columns. */
  static final int WIDTH = 40;

  private static final char BAR = '#';

  private Waterfall() {}

  /** Renders {@code timings} with bars {@link #WIDTH} columns wide. */
  static List<String> render(RequestTimings timings) {
    return render(timings, WIDTH);
  }

  /**
   * Renders {@code timings}: one line per non-zero phase, then {@code first byte} (if the response
   * head arrived) and {@code total} with what the total includes in parentheses (redirects, a
   * pooled connection, an incomplete request).
   *
   * @param width the width of the bars' area, at least 1
   */
  static List<String> render(RequestTimings timings, int width) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be at least 1: " + width);
    }
    String[] names = {"queued", "resolve", "connect", "tls", "send", "wait", "download"};
    Duration[] phases = {timings.queued(), timings.resolve(), timings.connect(),
        timings.tlsHandshake(), timings.send(), timings.serverWait(), timings.download()};
    long sum = 0;
    for (Duration phase : phases) {
      sum += phase.toNanos();
    }
    long beforeDownload = sum - timings.download().toNanos();
    // Time outside the phases before the first byte goes first, so that wait ends at the first byte
    long elapsed = Math.max(0, timings.timeToFirstByte().toNanos() - beforeDownload);
    long scale = Math.max(elapsed + sum, timings.total().toNanos());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < phases.length; i++) {
      long nanos = phases[i].toNanos();
      if (nanos == 0) {
        continue;
      }
      int from = column(elapsed, scale, width);
      int to = column(elapsed + nanos, scale, width);
      if (to == from) { // too short for a column: show it anyway
        if (from == width) {
          from--;
        } else {
          to++;
        }
      }
      elapsed += nanos;
      String bar = " ".repeat(from) + String.valueOf(BAR).repeat(to - from) + " ".repeat(width - to);
      lines.add(name(names[i]) + "|" + bar + "|" + Millis.column(nanos));
    }
    String blank = " " + " ".repeat(width) + " ";
    if (!timings.timeToFirstByte().isZero()) {
      lines.add(name("first byte") + blank + Millis.column(timings.timeToFirstByte().toNanos()));
    }
    lines.add(name("total") + blank + Millis.column(timings.total().toNanos()) + notes(timings));
    return lines;
  }

  /** The column where {@code nanos} falls on a line of {@code width} columns for {@code scale}. */
  private static int column(long nanos, long scale, int width) {
    if (scale == 0) {
      return 0;
    }
    return (int) ((2 * nanos * width + scale) / (2 * scale)); // rounded half up
  }

  private static String name(String name) {
    return "  " + name + " ".repeat(Math.max(1, 11 - name.length()));
  }

  private static String notes(RequestTimings timings) {
    List<String> notes = new ArrayList<>();
    if (timings.redirects() > 0) {
      notes.add(timings.redirects() + (timings.redirects() == 1 ? " redirect" : " redirects"));
    }
    if (timings.connectionReused()) {
      notes.add("pooled connection");
    }
    if (!timings.complete()) {
      notes.add("incomplete");
    }
    return notes.isEmpty() ? "" : "  (" + String.join(", ", notes) + ")";
  }
}
