package dev.telltale.internal.loop;

/**
 * One re-armable deadline: arming it again replaces the previous one. Loop thread only. Used for
 * the send/receive wait of an exchange, its response-headers limit and its 100-continue wait.
 */
public final class TimerSlot implements Runnable {
  private Deadline deadline;
  private Runnable action;

  /** Runs {@code action} after {@code delayNanos} on {@code loop}, unless cancelled or re-armed. */
  public void arm(EventLoop loop, long delayNanos, Runnable action) {
    cancel();
    this.action = action;
    deadline = loop.schedule(delayNanos, this); // the slot is the deadline's action: no lambda per arming
  }

  /** The deadline is due (called by the loop, never by users of the slot). */
  @Override
  public void run() {
    Runnable run = action;
    deadline = null;
    action = null;
    run.run();
  }

  /** Whether a deadline is pending. */
  public boolean isArmed() {
    return deadline != null;
  }

  /** Cancels the pending deadline, if any. */
  public void cancel() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
      action = null;
    }
  }
}
