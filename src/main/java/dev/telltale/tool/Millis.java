package dev.telltale.tool;

/**
 * Durations as the tracer prints them: milliseconds with a fixed number of decimals, rounded half
 * up on the exact number of nanoseconds (never through a {@code double}), so the same duration
 * always prints the same way.
 */
final class Millis {
  private Millis() {}

  /**
   * Formats {@code nanos} as milliseconds with 2 or 3 decimals: {@code decimal(1_005_000, 2)} is
   * {@code "1.01"}, {@code decimal(1_004_999, 2)} is {@code "1.00"}.
   */
  static String decimal(long nanos, int decimals) {
    if (decimals != 2 && decimals != 3) {
      throw new IllegalArgumentException("2 or 3 decimals: " + decimals);
    }
    long unit = decimals == 3 ? 1_000 : 10_000; // nanoseconds per last digit
    long factor = decimals == 3 ? 1_000 : 100;
    long scaled = (Math.abs(nanos) + unit / 2) / unit;
    String fraction = Long.toString(scaled % factor);
    fraction = "0".repeat(decimals - fraction.length()) + fraction;
    return (nanos < 0 ? "-" : "") + scaled / factor + "." + fraction;
  }

  /** Right-aligned in a column, with the unit: {@code "    3.21 ms"} (at least 8 characters). */
  static String column(long nanos) {
    String value = decimal(nanos, 2);
    return " ".repeat(Math.max(0, 8 - value.length())) + value + " ms";
  }
}
