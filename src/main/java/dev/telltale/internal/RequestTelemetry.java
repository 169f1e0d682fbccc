package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.RequestTimings;
import dev.telltale.internal.jfr.JfrEvents;
import dev.telltale.internal.jfr.RequestEvent;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.util.Clock;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a request tells about itself besides notifications: its timings (marked by the exchange on
 * its loop, published once final) and its Flight Recorder event (begun only if a recording wants
 * it, committed when the request ends).
 */
final class RequestTelemetry {
  final TimingRecorder timing = new TimingRecorder();
  /*
   * The final timings are not built when the request ends (most applications never ask): once
   * ended, the recorder stops changing, and any thread may read it. Only a new send of the same
   * request changes it again; it makes `version` odd while it does, so a reader that raced it
   * notices (a sequence lock, as StampedLock's optimistic read) and asks the loop instead.
   */
  private volatile boolean ended;
  private volatile int version;
  private RequestEvent event;

  /** A send starts: fresh timings, and a JFR event if one is wanted. */
  void begin() {
    boolean rewrite = ended;
    if (rewrite) {
      version++; // odd: readers of the ended timings must not trust what they read from here on
      VarHandle.storeStoreFence();
      ended = false;
    }
    timing.start(Clock.nanoTime());
    if (rewrite) {
      version++; // even again; readers now see ended == false and ask the loop
    }
    event = JfrEvents.beginRequest();
  }

  /** Whether a request began and has not ended. */
  boolean inProgress() {
    return event != null || (!ended && timing.started());
  }

  /** The request ended ({@code error} null: its body is complete): timings final, event committed. */
  void end(RequestMessage message, int statusCode, String error) {
    timing.finished(Clock.nanoTime());
    ended = true; // publishes the recorder's final state to readers on other threads
    RequestEvent recorded = event;
    if (recorded == null) {
      return;
    }
    event = null;
    recorded.end();
    if (recorded.shouldCommit()) {
      RequestTimings done = timing.snapshot(Clock.nanoTime());
      recorded.method = message.method;
      recorded.origin = message.origin.toString();
      int query = message.target.indexOf('?');
      recorded.path = query < 0 ? message.target : message.target.substring(0, query);
      recorded.statusCode = statusCode;
      recorded.bytesSent = done.bytesSent();
      recorded.bytesReceived = done.bytesReceived();
      recorded.connectionReused = done.connectionReused();
      recorded.redirects = done.redirects();
      recorded.error = error == null ? "" : error;
      recorded.commit();
    }
  }

  /** The timings so far, or the final ones; from any thread (asks {@code loop} if needed). */
  RequestTimings timings(EventLoop loop) {
    if (loop.inLoop()) {
      return timing.snapshot(Clock.nanoTime());
    }
    int seen = version;
    if ((seen & 1) == 0 && ended) {
      RequestTimings done = timing.snapshot(Clock.nanoTime());
      VarHandle.acquireFence(); // the reads above happen before the check below
      if (version == seen) {
        return done; // no new send started meanwhile: the final timings, read whole
      }
    }
    CompletableFuture<RequestTimings> now = new CompletableFuture<>();
    loop.submit(() -> now.complete(timing.snapshot(Clock.nanoTime())));
    try {
      return now.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HandleException(ErrorCode.OPERATION_CANCELLED, "interrupted while reading timings");
    } catch (ExecutionException | TimeoutException e) {
      throw new HandleException(ErrorCode.INCORRECT_HANDLE_STATE, "the request's I/O thread did not answer");
    }
  }
}
