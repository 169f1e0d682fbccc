package dev.telltale.tool;

import dev.telltale.Handle;
import dev.telltale.StatusCallback;
import dev.telltale.StatusEvent;
import dev.telltale.internal.util.Clock;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The tracer's status callback: prints one line per event, as {@code elapsed  handle  event}
 * (e.g. {@code     3.21 ms  request  RESOLVING_NAME 127.0.0.1}), hands request events to the
 * request's {@link PhaseTimings} (its context), and lets the caller wait for a handle's
 * HANDLE_CLOSING.
 *
 * <p>The payload printed is the event's own {@code toString()}, which never includes header values
 * or query strings. Callbacks run on the session's I/O threads; lines are printed whole.
 */
final class EventPrinter implements StatusCallback {
  private final PrintStream out;
  private final long startNanos;
  private final Map<Handle, CompletableFuture<Void>> closings = new ConcurrentHashMap<>();

  EventPrinter(PrintStream out, long startNanos) {
    this.out = out;
    this.startNanos = startNanos;
  }

  @Override
  public void onStatus(Handle handle, Object context, StatusEvent event) {
    long now = Clock.nanoTime();
    if (context instanceof PhaseTimings timings) {
      timings.record(event, now);
    }
    String alias = handle.type().name().toLowerCase(Locale.ROOT);
    String line = PhaseTimings.millis(now - startNanos) + "  " + pad(alias) + event;
    synchronized (out) {
      out.println(line);
    }
    if (event instanceof StatusEvent.HandleClosing) {
      closing(handle).complete(null);
    }
  }

  /** Waits until HANDLE_CLOSING of {@code handle} has been printed. */
  void awaitClosing(Handle handle) throws InterruptedException {
    try {
      closing(handle).get();
    } catch (ExecutionException e) {
      throw new AssertionError("never completed exceptionally", e);
    }
  }

  private CompletableFuture<Void> closing(Handle handle) {
    return closings.computeIfAbsent(handle, h -> new CompletableFuture<>());
  }

  private static String pad(String alias) {
    return alias.length() >= 9 ? alias + ' ' : alias + " ".repeat(9 - alias.length());
  }
}
