package dev.telltale.tool;

import dev.telltale.StatusEvent;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The phases of one traced request, derived from its status events: resolve (RESOLVING_NAME to
 * NAME_RESOLVED), connect (CONNECTING_TO_SERVER to CONNECTED_TO_SERVER), TLS handshake (for https:
 * CONNECTED_TO_SERVER to SENDING_REQUEST), first byte
 * (SENDING_REQUEST to RESPONSE_RECEIVED, or HEADERS_AVAILABLE if that was masked out) and total
 * (from the call to {@code sendRequest} to the end of the body), plus the bytes received.
 *
 * <p>Each phase is measured on its first occurrence, so a redirect's second cycle does not
 * overwrite the first. Events arrive on I/O threads and the marks on the caller's, hence the
 * locking.
 */
final class PhaseTimings {
  private static final long UNSET = Long.MIN_VALUE;

  private long resolveStart = UNSET;
  private long resolveEnd = UNSET;
  private long connectStart = UNSET;
  private long connectEnd = UNSET;
  private long sendStart = UNSET;
  private boolean secure;
  private long firstByte = UNSET;
  private long start = UNSET;
  private long end = UNSET;
  private long headerBytes;
  private long bodyBytes;
  private int redirects;

  /** Says the request is https, so the gap before SENDING_REQUEST is the TLS handshake. */
  synchronized void markSecure() {
    secure = true;
  }

  /** Marks the call to {@code sendRequest}. */
  synchronized void markStart(long nanos) {
    start = nanos;
  }

  /** Marks the end of the body (or of the request, if it failed). */
  synchronized void markEnd(long nanos) {
    end = nanos;
  }

  /** Takes note of one event of the request, received at {@code nanos}. */
  synchronized void record(StatusEvent event, long nanos) {
    switch (event.status()) {
      case RESOLVING_NAME -> resolveStart = first(resolveStart, nanos);
      case NAME_RESOLVED -> resolveEnd = first(resolveEnd, nanos);
      case CONNECTING_TO_SERVER -> connectStart = first(connectStart, nanos);
      case CONNECTED_TO_SERVER -> connectEnd = first(connectEnd, nanos);
      case SENDING_REQUEST -> sendStart = first(sendStart, nanos);
      case RESPONSE_RECEIVED, HEADERS_AVAILABLE -> firstByte = first(firstByte, nanos);
      case REDIRECT -> redirects++;
      default -> { }
    }
    if (event instanceof StatusEvent.ResponseReceived r) {
      headerBytes += r.bytesReceived();
    } else if (event instanceof StatusEvent.ReadComplete r) {
      bodyBytes += r.bytesRead();
    }
  }

  /** Prints the summary, one phase a line. */
  synchronized void print(PrintStream out) {
    out.println("timings:");
    boolean pooled = resolveStart == UNSET && connectStart == UNSET;
    printPhase(out, "resolve", resolveStart, resolveEnd, pooled ? "pooled connection" : "");
    printPhase(out, "connect", connectStart, connectEnd, pooled ? "pooled connection" : "");
    if (secure) {
      printPhase(out, "tls", connectEnd, sendStart, pooled ? "pooled connection" : "");
    }
    printPhase(out, "first byte", sendStart, firstByte, "");
    printPhase(out, "total", start, end, redirects == 0 ? "" : plural(redirects, "redirect"));
    out.printf(Locale.ROOT, "  %-11s %s of body, %s of response heads%n", "received",
        plural(bodyBytes, "byte"), plural(headerBytes, "byte"));
  }

  private static void printPhase(PrintStream out, String name, long from, long to, String note) {
    String value = from == UNSET || to == UNSET || to < from ? "       -   " : millis(to - from);
    out.printf(Locale.ROOT, "  %-11s %s%s%n", name, value, note.isEmpty() ? "" : "  (" + note + ")");
  }

  /** Formats a duration in milliseconds with two decimals, right-aligned: {@code "   3.21 ms"}. */
  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%8.2f ms", nanos / 1_000_000.0);
  }

  private static long first(long current, long nanos) {
    return current == UNSET ? nanos : current;
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
