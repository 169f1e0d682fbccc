package dev.telltale.tool;

import dev.telltale.CallbackStatus;
import dev.telltale.Handle;
import dev.telltale.NotificationFlags;
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
 * The tracer's status callback: prints one line per event whose status is in the flags to show,
 * as text {@code elapsed  handle  event} (e.g. {@code     3.21 ms  request  RESOLVING_NAME
 * 127.0.0.1}) or as a JSON object ({@link JsonEvents}); feeds READ_COMPLETE byte counts to the
 * request's {@link ProgressBar} (its context); and lets the caller wait for a handle's
 * HANDLE_CLOSING.
 *
 * <p>Install it with {@link #callbackFlags()}, which adds to the flags shown what the tracer needs
 * itself (HANDLE_CLOSING, READ_COMPLETE). The text payload is the event's own {@code toString()},
 * which never includes header values or query strings. Callbacks run on the session's I/O threads;
 * lines are printed whole.
 */
final class EventPrinter implements StatusCallback {
  private final PrintStream out;
  private final long startNanos;
  private final boolean json;
  private final NotificationFlags shown;
  private final Map<Handle, CompletableFuture<Void>> closings = new ConcurrentHashMap<>();

  /**
   * A printer of the events in {@code shown}, timed from {@code startNanos} ({@link Clock}), as
   * JSON lines if {@code json}.
   */
  EventPrinter(PrintStream out, long startNanos, boolean json, NotificationFlags shown) {
    this.out = out;
    this.startNanos = startNanos;
    this.json = json;
    this.shown = shown;
  }

  /** The flags to install this callback with: those shown, HANDLE_CLOSING and READ_COMPLETE. */
  NotificationFlags callbackFlags() {
    return NotificationFlags.union(shown,
        NotificationFlags.of(CallbackStatus.HANDLE_CLOSING, CallbackStatus.READ_COMPLETE));
  }

  @Override
  public void onStatus(Handle handle, Object context, StatusEvent event) {
    long elapsed = Clock.nanoTime() - startNanos;
    ProgressBar progress = context instanceof ProgressBar p ? p : ProgressBar.DISABLED;
    if (shown.contains(event.status())) {
      String alias = handle.type().name().toLowerCase(Locale.ROOT);
      String line = json ? JsonEvents.event(elapsed, alias, event)
          : Millis.column(elapsed) + "  " + pad(alias) + event;
      progress.clear();
      synchronized (out) {
        out.println(line);
      }
    }
    if (event instanceof StatusEvent.ReadComplete read) {
      progress.advance(read.bytesRead());
    }
    if (event instanceof StatusEvent.HandleClosing) {
      closing(handle).complete(null);
    }
  }

  /** Waits until HANDLE_CLOSING of {@code handle} has been delivered. */
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
