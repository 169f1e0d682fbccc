package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

  @Test
  void defaultsFollowWinhttpDocumentation() {
    Timeouts t = Timeouts.defaults();
    assertTrue(Timeouts.isInfinite(t.resolve()));
    assertEquals(Duration.ofSeconds(60), t.connect());
    assertEquals(Duration.ofSeconds(30), t.send());
    assertEquals(Duration.ofSeconds(30), t.receive());
    assertTrue(Timeouts.isInfinite(t.receiveResponse()));
  }

  @Test
  void withersChangeOnlyTheirField() {
    Duration d = Duration.ofMillis(1500);
    Timeouts base = Timeouts.defaults();
    assertEquals(
        new Timeouts(d, base.connect(), base.send(), base.receive(), base.receiveResponse()),
        base.withResolve(d));
    assertEquals(
        new Timeouts(base.resolve(), d, base.send(), base.receive(), base.receiveResponse()),
        base.withConnect(d));
    assertEquals(
        new Timeouts(base.resolve(), base.connect(), d, base.receive(), base.receiveResponse()),
        base.withSend(d));
    assertEquals(
        new Timeouts(base.resolve(), base.connect(), base.send(), d, base.receiveResponse()),
        base.withReceive(d));
    assertEquals(
        new Timeouts(base.resolve(), base.connect(), base.send(), base.receive(), d),
        base.withReceiveResponse(d));
    assertEquals(Timeouts.defaults(), base); // unchanged
  }

  @Test
  void zeroMeansInfiniteAsInWinhttp() {
    Timeouts t = Timeouts.defaults().withConnect(Duration.ZERO).withSend(Duration.ZERO);
    assertEquals(Timeouts.INFINITE, t.connect());
    assertEquals(Timeouts.INFINITE, t.send());
    assertTrue(Timeouts.isInfinite(Duration.ZERO));
    assertEquals(Timeouts.defaults().withConnect(Timeouts.INFINITE).withSend(Timeouts.INFINITE), t);
  }

  @Test
  void isInfiniteOnlyForTheSentinelZeroAndLonger() {
    assertTrue(Timeouts.isInfinite(Timeouts.INFINITE));
    assertTrue(Timeouts.isInfinite(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
    assertFalse(Timeouts.isInfinite(Duration.ofNanos(1)));
    assertFalse(Timeouts.isInfinite(Duration.ofDays(365_000)));
  }

  @Test
  void nullOrNegativeIsRejectedNamingTheField() {
    List<String> fields = List.of("resolve", "connect", "send", "receive", "receiveResponse");
    List<BiFunction<Timeouts, Duration, Timeouts>> withers =
        List.of(
            Timeouts::withResolve,
            Timeouts::withConnect,
            Timeouts::withSend,
            Timeouts::withReceive,
            Timeouts::withReceiveResponse);
    for (int i = 0; i < fields.size(); i++) {
      BiFunction<Timeouts, Duration, Timeouts> with = withers.get(i);
      IllegalArgumentException nul =
          assertThrows(IllegalArgumentException.class, () -> with.apply(Timeouts.defaults(), null));
      assertEquals(fields.get(i) + " timeout is null", nul.getMessage());
      IllegalArgumentException neg =
          assertThrows(
              IllegalArgumentException.class,
              () -> with.apply(Timeouts.defaults(), Duration.ofMillis(-1)));
      assertEquals(fields.get(i) + " timeout is negative: PT-0.001S", neg.getMessage());
    }
  }

  @Test
  void toStringIsReadable() {
    assertEquals(
        "Timeouts[resolve=infinite, connect=60s, send=30s, receive=30s, receiveResponse=infinite]",
        Timeouts.defaults().toString());
    assertEquals(
        "Timeouts[resolve=250ms, connect=5s, send=30s, receive=PT0.0000015S,"
            + " receiveResponse=infinite]",
        Timeouts.defaults()
            .withResolve(Duration.ofMillis(250))
            .withConnect(Duration.ofSeconds(5))
            .withReceive(Duration.ofNanos(1500))
            .toString());
  }
}
