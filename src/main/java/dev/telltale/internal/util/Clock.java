package dev.telltale.internal.util;

/**
 * The one place that reads the monotonic clock. Everything else takes {@code now} as a parameter,
 * so deadlines and pool eviction can be reasoned about (and tested) without real time passing.
 */
public final class Clock {
  private Clock() {}

  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  public static long nanoTime() {
    return System.nanoTime();
  }
}
