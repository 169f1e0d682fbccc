package dev.telltale;

import java.time.Duration;

/**
 * The per-operation timeouts of a session or request: the four arguments of {@code
 * WinHttpSetTimeouts} ({@code nResolveTimeout}, {@code nConnectTimeout}, {@code nSendTimeout},
 * {@code nReceiveTimeout}) plus {@code WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT}. Immutable; the
 * {@code with*} methods return a modified copy.
 *
 * <pre>{@code
 * Timeouts t = Timeouts.defaults().withConnect(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>As in WinHTTP, {@link Duration#ZERO} means "no timeout": it is stored as {@link #INFINITE}, so
 * {@code withConnect(Duration.ZERO).connect()} returns {@code INFINITE}. WinHTTP's other spelling
 * of infinite, {@code -1}, has no Duration equivalent: negative durations are rejected. Each
 * timeout that expires fails the operation with {@link ErrorCode#TIMEOUT}.
 *
 * @param resolve time allowed to resolve the host name ({@code nResolveTimeout}; default infinite)
 * @param connect time allowed to establish the connection, TLS handshake included ({@code
 *     nConnectTimeout}; default 60 s)
 * @param send time allowed for each write of the request to make progress ({@code nSendTimeout};
 *     default 30 s)
 * @param receive time allowed for each read of the response to make progress ({@code
 *     nReceiveTimeout}; default 30 s)
 * @param receiveResponse time allowed for the response head to arrive after the request is sent
 *     ({@code WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT}; default infinite)
 */
public record Timeouts(
    Duration resolve, Duration connect, Duration send, Duration receive, Duration receiveResponse) {

  /**
   * The "no timeout" value ({@code INFINITE}, 0xFFFFFFFF in WinHTTP). Test with {@link
   * #isInfinite(Duration)} rather than {@code equals}.
   */
  public static final Duration INFINITE = Duration.ofSeconds(Long.MAX_VALUE);

  private static final Timeouts DEFAULTS =
      new Timeouts(
          INFINITE,
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          INFINITE);

  /**
   * Validates the fields and normalises {@link Duration#ZERO} to {@link #INFINITE}.
   *
   * @param resolve the resolve timeout
   * @param connect the connect timeout
   * @param send the send timeout
   * @param receive the receive timeout
   * @param receiveResponse the receive-response timeout
   * @throws IllegalArgumentException naming the field if a value is null or negative
   */
  public Timeouts {
    resolve = check("resolve", resolve);
    connect = check("connect", connect);
    send = check("send", send);
    receive = check("receive", receive);
    receiveResponse = check("receiveResponse", receiveResponse);
  }

  /**
   * Returns WinHTTP's documented defaults: resolve infinite, connect 60 s, send 30 s, receive 30 s,
   * receive-response infinite.
   *
   * @return the default timeouts
   */
  public static Timeouts defaults() {
    return DEFAULTS;
  }

  /**
   * Tells whether a timeout means "wait forever": {@link #INFINITE} (or anything at least as long),
   * or {@link Duration#ZERO}, which WinHTTP treats as infinite.
   *
   * @param timeout a timeout, not null
   * @return true if the timeout never expires
   */
  public static boolean isInfinite(Duration timeout) {
    return timeout.isZero() || timeout.compareTo(INFINITE) >= 0;
  }

  /**
   * Returns a copy with another resolve timeout ({@code nResolveTimeout}).
   *
   * @param resolve the new timeout; {@code ZERO} means infinite
   * @return the copy
   * @throws IllegalArgumentException if null or negative
   */
  public Timeouts withResolve(Duration resolve) {
    return new Timeouts(resolve, connect, send, receive, receiveResponse);
  }

  /**
   * Returns a copy with another connect timeout ({@code nConnectTimeout}).
   *
   * @param connect the new timeout; {@code ZERO} means infinite
   * @return the copy
   * @throws IllegalArgumentException if null or negative
   */
  public Timeouts withConnect(Duration connect) {
    return new Timeouts(resolve, connect, send, receive, receiveResponse);
  }

  /**
   * Returns a copy with another send timeout ({@code nSendTimeout}).
   *
   * @param send the new timeout; {@code ZERO} means infinite
   * @return the copy
   * @throws IllegalArgumentException if null or negative
   */
  public Timeouts withSend(Duration send) {
    return new Timeouts(resolve, connect, send, receive, receiveResponse);
  }

  /**
   * Returns a copy with another receive timeout ({@code nReceiveTimeout}).
   *
   * @param receive the new timeout; {@code ZERO} means infinite
   * @return the copy
   * @throws IllegalArgumentException if null or negative
   */
  public Timeouts withReceive(Duration receive) {
    return new Timeouts(resolve, connect, send, receive, receiveResponse);
  }

  /**
   * Returns a copy with another receive-response timeout ({@code
   * WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT}).
   *
   * @param receiveResponse the new timeout; {@code ZERO} means infinite
   * @return the copy
   * @throws IllegalArgumentException if null or negative
   */
  public Timeouts withReceiveResponse(Duration receiveResponse) {
    return new Timeouts(resolve, connect, send, receive, receiveResponse);
  }

  /**
   * Returns the five timeouts, e.g. {@code Timeouts[resolve=infinite, connect=60s, send=30s,
   * receive=30s, receiveResponse=infinite]}.
   */
  @Override
  public String toString() {
    return "Timeouts[resolve="
        + format(resolve)
        + ", connect="
        + format(connect)
        + ", send="
        + format(send)
        + ", receive="
        + format(receive)
        + ", receiveResponse="
        + format(receiveResponse)
        + "]";
  }

  private static Duration check(String field, Duration value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " timeout is null");
    }
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " timeout is negative: " + value);
    }
    return isInfinite(value) ? INFINITE : value;
  }

  private static String format(Duration d) {
    if (isInfinite(d)) {
      return "infinite";
    }
    if (d.getNano() == 0) {
      return d.getSeconds() + "s";
    }
    if (d.getNano() % 1_000_000 == 0 && d.getSeconds() < 1_000_000_000L) {
      return d.toMillis() + "ms";
    }
    return d.toString();
  }
}
