package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.RequestTimings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waterfall as a pure function: a {@link RequestTimings} in, exact lines out. */
class WaterfallTest {
  private static final Duration ZERO = Duration.ZERO;

  private static Duration ms(double millis) {
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** Timings with the phases given and the other fields neutral. */
  private static RequestTimings timings(Duration resolve, Duration connect, Duration send,
      Duration wait, Duration firstByte, Duration download, Duration total) {
    return new RequestTimings(ZERO, resolve, connect, ZERO, send, wait, firstByte, download, total,
        100, 200, 0, false, true);
  }

  @Test
  void barsAreScaledToTheTotalAndEachStartsWhereThePreviousEnded() {
    RequestTimings t = timings(ms(10), ms(20), ms(5), ms(40), ms(75), ms(25), ms(100));
    assertEquals(List.of(
        "  resolve    |####                                    |   10.00 ms",
        "  connect    |    ########                            |   20.00 ms",
        "  send       |            ##                          |    5.00 ms",
        "  wait       |              ################          |   40.00 ms",
        "  download   |                              ##########|   25.00 ms",
        "  first byte                                              75.00 ms",
        "  total                                                  100.00 ms"),
        Waterfall.render(t)); // the default width: 40 columns
  }

  @Test
  void zeroPhasesAreLeftOutAndUnaccountedTimeComesBeforeTheFirstBar() {
    // pooled: no resolve, connect or tls; 10 ms of the 20 to the first byte are in no phase
    RequestTimings t = new RequestTimings(ZERO, ZERO, ZERO, ZERO, ms(1), ms(9), ms(20), ms(20),
        ms(40), 100, 200, 1, true, true);
    assertEquals(List.of(
        "  send       |          #                             |    1.00 ms",
        "  wait       |           #########                    |    9.00 ms",
        "  download   |                    ####################|   20.00 ms",
        "  first byte                                              20.00 ms",
        "  total                                                   40.00 ms  (1 redirect, pooled connection)"),
        Waterfall.render(t, 40));
  }

  @Test
  void everyPhaseTakesPartInTheLayoutIncludingQueuedAndTls() {
    RequestTimings t = new RequestTimings(ms(1), ms(1), ms(1), ms(1), ms(1), ms(1), ms(6), ms(2),
        ms(8), 100, 200, 2, false, true);
    assertEquals(List.of(
        "  queued     |#       |    1.00 ms",
        "  resolve    | #      |    1.00 ms",
        "  connect    |  #     |    1.00 ms",
        "  tls        |   #    |    1.00 ms",
        "  send       |    #   |    1.00 ms",
        "  wait       |     #  |    1.00 ms",
        "  download   |      ##|    2.00 ms",
        "  first byte               6.00 ms",
        "  total                    8.00 ms  (2 redirects)"),
        Waterfall.render(t, 8));
  }

  @Test
  void columnsRoundHalfUp() {
    // boundaries at 0.5 and 1.5 columns go to 1 and 2
    RequestTimings t = timings(ms(12.5), ms(25), ZERO, ms(62.5), ms(100), ZERO, ms(100));
    assertEquals(List.of(
        "  resolve    |#   |   12.50 ms",
        "  connect    | #  |   25.00 ms",
        "  wait       |  ##|   62.50 ms",
        "  first byte         100.00 ms",
        "  total              100.00 ms"),
        Waterfall.render(t, 4));
  }

  @Test
  void aPhaseShorterThanAColumnStillGetsOneAndMillisecondsRoundOnTheExactNanos() {
    Duration micro = Duration.ofNanos(1_000);
    RequestTimings t = timings(micro, Duration.ofNanos(4_999_000), ZERO, Duration.ofNanos(4_999_000),
        Duration.ofNanos(9_999_000), micro, ms(10));
    assertEquals(List.of(
        "  resolve    |#         |    0.00 ms",
        "  connect    |#####     |    5.00 ms",
        "  wait       |     #####|    5.00 ms",
        "  download   |         #|    0.00 ms", // at the right edge: the last column
        "  first byte                10.00 ms",
        "  total                     10.00 ms"),
        Waterfall.render(t, 10));
    assertEquals("    1.01 ms", Millis.column(1_005_000)); // half up, not through a double
    assertEquals("    1.00 ms", Millis.column(1_004_999));
    assertEquals("12345.68 ms", Millis.column(12_345_678_901L));
    assertEquals("0.001", Millis.decimal(500, 3));
  }

  @Test
  void aRequestThatFailedEarlyShowsWhatItDidAndNoFirstByte() {
    RequestTimings t = new RequestTimings(ZERO, ms(3), ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ms(3.5),
        0, 0, 0, false, false);
    assertEquals(List.of(
        "  resolve    |##################################      |    3.00 ms",
        "  total                                                    3.50 ms  (incomplete)"),
        Waterfall.render(t, 40));
  }

  @Test
  void nothingMeasuredIsJustATotal() {
    RequestTimings t = timings(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO);
    assertEquals(List.of("  total      " + " ".repeat(42) + "    0.00 ms"), Waterfall.render(t));
    assertThrows(IllegalArgumentException.class, () -> Waterfall.render(t, 0));
  }
}
