package dev.telltale.bench;

import dev.telltale.internal.jfr.JfrEvents;
import java.util.Locale;

/**
 * Measures what the JFR hooks cost a request while no recording runs: the first call (class
 * loading) and the steady per-request check. Not a unit test (timings are not asserted); run it:
 * {@code java -cp target/classes:target/test-classes dev.telltale.bench.JfrOffCost}.
 */
public final class JfrOffCost {
  private JfrOffCost() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Object first = JfrEvents.beginRequest();
    long t1 = System.nanoTime();
    System.out.printf(Locale.ROOT, "first call: %.2f ms (event: %s)%n", (t1 - t0) / 1e6, first);
    long created = 0;
    int calls = 50_000_000;
    for (int round = 1; round <= 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        if (JfrEvents.beginRequest() != null) {
          created++;
        }
      }
      long nanos = System.nanoTime() - start;
      System.out.printf(Locale.ROOT, "round %d: %.3f ns per request, %d events created%n",
          round, (double) nanos / calls, created);
    }
  }
}
