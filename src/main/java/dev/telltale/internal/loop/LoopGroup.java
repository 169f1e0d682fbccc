package dev.telltale.internal.loop;

import java.util.concurrent.TimeUnit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session's I/O threads: a fixed number of {@link EventLoop}s, started on first use and
 * handed out round-robin. No thread per request or per connection.
 */
public final class LoopGroup {
  private static final AtomicInteger threadNumbers = new AtomicInteger();

  private final EventLoop[] loops;
  private final boolean[] started;
  private final AtomicInteger next = new AtomicInteger();
  private boolean stopped;

  /** A group of {@code size} loops (at least one). */
  public LoopGroup(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("I/O thread count must be at least 1: " + size);
    }
    loops = new EventLoop[size];
    started = new boolean[size];
  }

  /**
   * The loop for a new request: the caller's own loop when it is one of this group's (a request
   * started from a completion callback stays on the loop that holds the connection it is likely
   * to reuse, so the connection need not move between selectors), else the next loop in
   * round-robin order, started if it was not yet.
   */
  /** Whether the calling thread is one of this group's loops. */
  public boolean isLoopThread() {
    for (EventLoop loop : loops) {
      if (loop != null && loop.inLoop()) {
        return true;
      }
    }
    return false;
  }

  public EventLoop next() {
    for (EventLoop loop : loops) {
      if (loop != null && loop.inLoop()) {
        return loop; // its own thread is running: started and not yet stopped
      }
    }
    int index = Math.floorMod(next.getAndIncrement(), loops.length);
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("the session's I/O threads have stopped");
      }
      if (loops[index] == null) {
        loops[index] = new EventLoop("telltale-loop-" + threadNumbers.incrementAndGet());
      }
      if (!started[index]) {
        started[index] = true;
        loops[index].start();
      }
      return loops[index];
    }
  }

  /** Stops every started loop once it has run the tasks already submitted to it. */
  public synchronized void stop() {
    stopped = true;
    for (EventLoop loop : loops) {
      if (loop != null) {
        loop.stop();
      }
    }
  }

  /** Waits up to {@code millis} for every started loop's thread to end; whether they all did. */
  public boolean awaitTermination(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (EventLoop loop : loops) {
      if (loop == null) {
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        // join(0, 0) would wait forever: only with time left, to the nanosecond
        loop.thread().join(left / 1_000_000, (int) (left % 1_000_000));
      }
      if (loop.thread().isAlive()) {
        return false;
      }
    }
    return true;
  }
}
