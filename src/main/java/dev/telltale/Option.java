package dev.telltale;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A typed option key, the counterpart of a {@code WINHTTP_OPTION_*} constant, for
 * {@link Handle#setOption} and {@link Handle#queryOption}.
 *
 * <p>Each constant says which handle types accept it. Setting an option on another type of handle
 * throws {@link HandleException} with {@link ErrorCode#INCORRECT_HANDLE_TYPE}; a value outside the
 * option's range throws {@link IllegalArgumentException} naming the constraint.
 *
 * <p>Inheritance follows WinHTTP: a request copies the session's values when it is created (later
 * changes on either side do not propagate); a connect handle reports its session's current values
 * for session options but cannot set them.
 *
 * @param <T> the option's value type
 */
public final class Option<T> {
  private static final Set<HandleType> ALL = EnumSet.allOf(HandleType.class);
  private static final Set<HandleType> SESSION_AND_REQUEST =
      EnumSet.of(HandleType.SESSION, HandleType.REQUEST);
  private static final Set<HandleType> SESSION_ONLY = EnumSet.of(HandleType.SESSION);
  private static final Set<HandleType> REQUEST_ONLY = EnumSet.of(HandleType.REQUEST);
  /** Keep-alive is the one websocket option that can change on a live websocket. */
  private static final Set<HandleType> WEB_SOCKET_LEVELS =
      EnumSet.of(HandleType.SESSION, HandleType.REQUEST, HandleType.WEBSOCKET);

  /** {@code WINHTTP_OPTION_CONTEXT_VALUE}: the handle's context, as {@link Handle#context()}. */
  public static final Option<Object> CONTEXT_VALUE =
      new Option<>("CONTEXT_VALUE", Object.class, null, ALL, v -> true, "any object");

  /** {@code WINHTTP_OPTION_RESOLVE_TIMEOUT}: time allowed for name resolution (default infinite). */
  public static final Option<Duration> RESOLVE_TIMEOUT = timeout("RESOLVE_TIMEOUT", Timeouts.defaults().resolve());
  /**
   * {@code WINHTTP_OPTION_CONNECT_TIMEOUT}: time allowed to connect (default 60 s): the whole race
   * of attempts when a host has several addresses, then again for a proxy tunnel and for the TLS
   * handshake.
   */
  public static final Option<Duration> CONNECT_TIMEOUT = timeout("CONNECT_TIMEOUT", Timeouts.defaults().connect());
  /** {@code WINHTTP_OPTION_SEND_TIMEOUT}: time allowed for a pending write to progress (default 30 s). */
  public static final Option<Duration> SEND_TIMEOUT = timeout("SEND_TIMEOUT", Timeouts.defaults().send());
  /** {@code WINHTTP_OPTION_RECEIVE_TIMEOUT}: time allowed for a pending read to progress (default 30 s). */
  public static final Option<Duration> RECEIVE_TIMEOUT = timeout("RECEIVE_TIMEOUT", Timeouts.defaults().receive());
  /**
   * {@code WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT}: time allowed from the start of
   * {@link Request#receiveResponse()} until the response headers have arrived (default infinite).
   */
  public static final Option<Duration> RECEIVE_RESPONSE_TIMEOUT =
      timeout("RECEIVE_RESPONSE_TIMEOUT", Timeouts.defaults().receiveResponse());

  /** {@code WINHTTP_OPTION_REDIRECT_POLICY} (default {@link RedirectPolicy#DISALLOW_HTTPS_TO_HTTP}). */
  public static final Option<RedirectPolicy> REDIRECT_POLICY =
      new Option<>("REDIRECT_POLICY", RedirectPolicy.class, RedirectPolicy.DISALLOW_HTTPS_TO_HTTP,
          SESSION_AND_REQUEST, v -> true, "a redirect policy");
  /** {@code WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS} (default 10; beyond it: REDIRECT_FAILED). */
  public static final Option<Integer> MAX_HTTP_AUTOMATIC_REDIRECTS =
      new Option<>("MAX_HTTP_AUTOMATIC_REDIRECTS", Integer.class, 10, SESSION_AND_REQUEST,
          v -> v >= 0, "zero or more");
  /** {@code WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE}: bytes of response head accepted (default 64 KiB). */
  public static final Option<Integer> MAX_RESPONSE_HEADER_SIZE =
      new Option<>("MAX_RESPONSE_HEADER_SIZE", Integer.class, 64 * 1024, SESSION_AND_REQUEST,
          v -> v >= 64, "at least 64 bytes");
  /**
   * {@code WINHTTP_OPTION_MAX_RESPONSE_DRAIN_SIZE}: how many bytes of an unread body are read and
   * discarded to keep a connection reusable (default 1 MiB); a longer body closes the connection.
   */
  public static final Option<Long> MAX_RESPONSE_DRAIN_SIZE =
      new Option<>("MAX_RESPONSE_DRAIN_SIZE", Long.class, 1024L * 1024, SESSION_AND_REQUEST,
          v -> v >= 0, "zero or more bytes");
  /**
   * {@code WINHTTP_OPTION_MAX_CONNS_PER_SERVER}: connections the session opens to one origin at
   * once (default unlimited); further requests queue until a connection is free.
   */
  public static final Option<Integer> MAX_CONNS_PER_SERVER =
      new Option<>("MAX_CONNS_PER_SERVER", Integer.class, Integer.MAX_VALUE, SESSION_ONLY,
          v -> v >= 1, "at least 1");
  /** {@code WINHTTP_DISABLE_KEEP_ALIVE}: the request's connection is closed after it, never pooled. */
  public static final Option<Boolean> DISABLE_KEEP_ALIVE =
      new Option<>("DISABLE_KEEP_ALIVE", Boolean.class, Boolean.FALSE, REQUEST_ONLY, v -> true, "a boolean");
  /** {@code WINHTTP_OPTION_SECURITY_FLAGS}: certificate problems to ignore (default none). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Option<Set<SecurityFlag>> SECURITY_FLAGS =
      new Option<>("SECURITY_FLAGS", (Class) Set.class, Set.of(), SESSION_AND_REQUEST, v -> true,
          "a set of security flags");
  /** {@code WINHTTP_OPTION_SECURE_PROTOCOLS}: TLS versions allowed (default TLSv1.2 and TLSv1.3). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Option<Set<String>> SECURE_PROTOCOLS =
      new Option<>("SECURE_PROTOCOLS", (Class) Set.class, Set.of("TLSv1.2", "TLSv1.3"), SESSION_ONLY,
          v -> !v.isEmpty(), "at least one protocol");
  /** {@code WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET}: send the request as a WebSocket upgrade. */
  public static final Option<Boolean> UPGRADE_TO_WEB_SOCKET =
      new Option<>("UPGRADE_TO_WEB_SOCKET", Boolean.class, Boolean.FALSE, REQUEST_ONLY, v -> true, "a boolean");
  /** {@code WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE} (default 32768). */
  public static final Option<Integer> WEB_SOCKET_RECEIVE_BUFFER_SIZE =
      new Option<>("WEB_SOCKET_RECEIVE_BUFFER_SIZE", Integer.class, 32768, SESSION_AND_REQUEST,
          v -> v >= 256 && v <= 16 << 20, "between 256 bytes and 16 MiB");
  /**
   * {@code WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE} (default 32768): a message longer than this
   * goes out as several frames of at most this size, so sending needs no buffer larger than it.
   */
  public static final Option<Integer> WEB_SOCKET_SEND_BUFFER_SIZE =
      new Option<>("WEB_SOCKET_SEND_BUFFER_SIZE", Integer.class, 32768, SESSION_AND_REQUEST,
          v -> v >= 16 && v <= 16 << 20, "between 16 bytes and 16 MiB (it sizes a buffer per websocket)");
  /**
   * {@code WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL}: ping interval, at least 15 s as in WinHTTP
   * (default off). Settable on the websocket too, where it takes effect at once.
   */
  public static final Option<Duration> WEB_SOCKET_KEEPALIVE_INTERVAL =
      new Option<>("WEB_SOCKET_KEEPALIVE_INTERVAL", Duration.class, Duration.ZERO, WEB_SOCKET_LEVELS,
          v -> v.isZero() || v.compareTo(Duration.ofSeconds(15)) >= 0, "zero (off) or at least 15 s");
  /**
   * Offer the permessage-deflate extension (RFC 7692) in the upgrade request (default false; not in
   * WinHTTP). If the server accepts, whole messages are sent compressed and compressed messages
   * are inflated, honouring the context-takeover parameters the server chose.
   */
  public static final Option<Boolean> WEB_SOCKET_PERMESSAGE_DEFLATE =
      new Option<>("WEB_SOCKET_PERMESSAGE_DEFLATE", Boolean.class, Boolean.FALSE, SESSION_AND_REQUEST,
          v -> true, "a boolean");
  /**
   * The largest message (after inflating) and frame a websocket accepts from the server, in bytes
   * (default 16 MiB; not in WinHTTP), set before the upgrade. A larger one fails the connection with close code 1009.
   */
  public static final Option<Long> WEB_SOCKET_MAX_MESSAGE_SIZE =
      new Option<>("WEB_SOCKET_MAX_MESSAGE_SIZE", Long.class, 16L * 1024 * 1024, SESSION_AND_REQUEST,
          v -> v >= 125, "at least 125 bytes");
  /**
   * {@code WINHTTP_OPTION_DECOMPRESSION}: content codings to decode (default none, as in WinHTTP).
   * When not empty, requests carry {@code Accept-Encoding} with these codings (unless the
   * application set its own) and a response whose {@code Content-Encoding} is one of them is
   * decoded while it is read: DATA_AVAILABLE and READ_COMPLETE count decoded bytes. The response
   * headers stay as received, so {@code Content-Length} still gives the encoded size.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Option<Set<Decompression>> DECOMPRESSION =
      new Option<>("DECOMPRESSION", (Class) Set.class, Set.of(), SESSION_AND_REQUEST, v -> true,
          "a set of decompression codings");
  /**
   * Most decoded bytes one response body may expand to (default 1 GiB); beyond it the read fails
   * with INVALID_SERVER_RESPONSE. A telltale addition guarding against decompression bombs.
   */
  public static final Option<Long> MAX_DECOMPRESSED_SIZE =
      new Option<>("MAX_DECOMPRESSED_SIZE", Long.class, 1L << 30, SESSION_AND_REQUEST,
          v -> v >= 1, "at least 1 byte");
  /**
   * Most decoded bytes per encoded byte (default 100) once a body has expanded past 1 MiB; beyond
   * it the read fails with INVALID_SERVER_RESPONSE. A telltale addition: deflate reaches about
   * 1000:1 on a bomb, while real content rarely exceeds 20:1.
   */
  public static final Option<Integer> MAX_DECOMPRESSION_RATIO =
      new Option<>("MAX_DECOMPRESSION_RATIO", Integer.class, 100, SESSION_AND_REQUEST,
          v -> v >= 1, "at least 1");
  /** {@code WINHTTP_OPTION_USER_AGENT}: the {@code User-Agent} sent with each request. */
  public static final Option<String> USER_AGENT =
      new Option<>("USER_AGENT", String.class, "telltale/0.1", SESSION_ONLY,
          v -> v.indexOf('\r') < 0 && v.indexOf('\n') < 0, "no CR or LF");

  /**
   * {@code WINHTTP_OPTION_PROXY}: how requests reach their servers (default
   * {@link ProxySettings#none()}). Set on the session (or with {@link Session.Builder#proxy}) for
   * all requests, or on a request before it is sent; a request copies the session's value when it
   * is created.
   */
  public static final Option<ProxySettings> PROXY =
      new Option<>("PROXY", ProxySettings.class, ProxySettings.none(), SESSION_AND_REQUEST,
          v -> true, "proxy settings");

  private final String name;
  private final Class<T> valueType;
  private final T defaultValue;
  private final Set<HandleType> settableOn;
  private final Predicate<T> check;
  private final String constraint;

  private Option(String name, Class<T> valueType, T defaultValue, Set<HandleType> settableOn,
      Predicate<T> check, String constraint) {
    this.name = name;
    this.valueType = valueType;
    this.defaultValue = defaultValue;
    this.settableOn = Set.copyOf(settableOn);
    this.check = check;
    this.constraint = constraint;
  }

  private static Option<Duration> timeout(String name, Duration defaultValue) {
    return new Option<>(name, Duration.class, defaultValue, SESSION_AND_REQUEST,
        v -> !v.isNegative(), "zero (infinite) or positive");
  }

  /** The option's name, as WinHTTP's constant without the {@code WINHTTP_OPTION_} prefix. */
  public String name() {
    return name;
  }

  /** The class of the option's values. */
  public Class<T> valueType() {
    return valueType;
  }

  /** The value a handle reports when nothing set it. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The handle types on which the option can be set. */
  public Set<HandleType> settableOn() {
    return settableOn;
  }

  /**
   * Whether the option can be queried on {@code type}: where it can be set, and on a connect handle
   * for options its session holds.
   */
  public boolean queryableOn(HandleType type) {
    return settableOn.contains(type)
        || (type == HandleType.CONNECT && settableOn.contains(HandleType.SESSION));
  }

  /**
   * Checks {@code value} against the option's type and range.
   *
   * @throws IllegalArgumentException naming the option and the constraint
   */
  public T validate(T value) {
    if (value == null) {
      if (this == CONTEXT_VALUE) {
        return null;
      }
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (!valueType.isInstance(value)) {
      throw new IllegalArgumentException(name + " takes " + valueType.getSimpleName() + " values");
    }
    if (!check.test(value)) {
      throw new IllegalArgumentException(name + " must be " + constraint + ": " + value);
    }
    if (valueType == Duration.class && ((Duration) value).isZero() && this != WEB_SOCKET_KEEPALIVE_INTERVAL) {
      return valueType.cast(Timeouts.INFINITE); // WinHTTP: a zero timeout means infinite
    }
    if (value instanceof Set<?> set) {
      return valueType.cast(Set.copyOf(set));
    }
    return value;
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
