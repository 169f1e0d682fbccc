package dev.telltale.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram with 1 µs buckets up to 1 s (the last bucket takes the rest): one atomic
 * increment per request from any thread, percentiles exact to the microsecond.
 */
final class Latencies {
  private static final int BUCKETS = 1_000_000;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  volatile boolean recording;

  void record(long nanos) {
    if (recording) {
      counts.incrementAndGet((int) Math.min(BUCKETS - 1, nanos / 1000));
    }
  }

  /** The latency at quantile {@code q} in nanoseconds (bucket midpoint), 0 if nothing recorded. */
  double percentile(double q) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i * 1000 + 500;
      }
    }
    return (BUCKETS - 1) * 1000;
  }
}
