package dev.telltale.internal.loop;

/**
 * One re-armable deadline: arming it again replaces the previous one. Loop thread only. Used for
 * the send/receive wait of an exchange, its response-headers limit and its 100-continue wait.
 */
public final class TimerSlot {
  private Deadline deadline;

  /** Runs {@code action} after {@code delayNanos} on {@code loop}, unless cancelled or re-armed. */
  public void arm(EventLoop loop, long delayNanos, Runnable action) {
    cancel();
    Deadline armed = loop.schedule(delayNanos, () -> {
      deadline = null;
      action.run();
    });
    deadline = armed;
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
    }
  }
}
