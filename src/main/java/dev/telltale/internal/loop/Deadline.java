package dev.telltale.internal.loop;

/**
 * A task that an {@link EventLoop} runs once its time has come, unless cancelled first. Timeouts
 * and pool eviction are deadlines: the loop's select timeout is the time to the nearest one, so no
 * timer thread exists. Created, cancelled and fired only on the owning loop.
 */
public final class Deadline implements Comparable<Deadline> {
  final long atNanos;
  final long sequence;
  private final EventLoop owner;
  private Runnable action;
  private boolean cancelled;

  Deadline(EventLoop owner, long atNanos, long sequence, Runnable action) {
    this.owner = owner;
    this.atNanos = atNanos;
    this.sequence = sequence;
    this.action = action;
  }

  /**
   * Stops the deadline from firing; cancelling twice, or after it fired, does nothing. The action
   * (and whatever it holds, typically a finished request) is let go at once, and the loop purges
   * cancelled deadlines in bulk once they dominate its queue, so a busy loop's queue stays small.
   */
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      action = null;
      owner.deadlineCancelled();
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  void fire() {
    if (!cancelled) {
      cancelled = true;
      Runnable run = action;
      action = null;
      run.run();
    }
  }

  @Override
  public int compareTo(Deadline other) {
    int byTime = Long.compare(atNanos - other.atNanos, 0);
    return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
  }
}
