package dev.telltale;

import java.util.HashMap;
import java.util.Map;

/**
 * The error vocabulary of telltale: WinHTTP's {@code ERROR_WINHTTP_*} codes and the few Win32
 * {@code ERROR_*} codes WinHTTP also uses, each with its number as {@link #value()}, so code that
 * switched on {@code GetLastError()} or on {@code WINHTTP_ASYNC_RESULT.dwError} ports by name.
 *
 * <p>An asynchronous failure arrives as an {@link HttpException} (in a {@code REQUEST_ERROR}
 * notification and as the failed future); a failure at call time is thrown as a {@link
 * HandleException}. Both carry one of these codes.
 */
public enum ErrorCode {
  /**
   * {@code ERROR_INVALID_HANDLE} (6): the handle is closed. Thrown at call time by any operation on
   * a closed handle, and by creating a child of a closed handle.
   */
  INVALID_HANDLE(6),
  /**
   * {@code ERROR_NOT_ENOUGH_MEMORY} (8): a size limit cannot be met, e.g. a websocket send buffer
   * set below the minimum WinHTTP accepts.
   */
  NOT_ENOUGH_MEMORY(8),
  /**
   * {@code ERROR_INVALID_PARAMETER} (87): an argument is out of range where WinHTTP reports it as
   * an error code rather than where Java code would throw {@link IllegalArgumentException}.
   */
  INVALID_PARAMETER(87),
  /**
   * {@code ERROR_INSUFFICIENT_BUFFER} (122): a buffer is too small for the result. Kept for ported
   * code; Java callers rarely see it since results are returned as objects.
   */
  INSUFFICIENT_BUFFER(122),
  /**
   * {@code ERROR_INVALID_OPERATION} (4317): a websocket call not allowed now, e.g. a second pending
   * send or receive, a send after {@code shutdown} or after the peer's close, or {@code
   * queryCloseStatus} before the peer's close frame.
   */
  INVALID_OPERATION(4317),
  /** {@code ERROR_WINHTTP_OUT_OF_HANDLES} (12001): no more handles can be created. */
  OUT_OF_HANDLES(12001),
  /**
   * {@code ERROR_WINHTTP_TIMEOUT} (12002): a resolve, connect, send, receive or receive-response
   * timeout (see {@link Timeouts}) expired.
   */
  TIMEOUT(12002),
  /** {@code ERROR_WINHTTP_INTERNAL_ERROR} (12004): a bug in telltale; the cause says more. */
  INTERNAL_ERROR(12004),
  /**
   * {@code ERROR_WINHTTP_INVALID_URL} (12005): a URL (for example a redirect target) is malformed.
   */
  INVALID_URL(12005),
  /**
   * {@code ERROR_WINHTTP_UNRECOGNIZED_SCHEME} (12006): a URL's scheme is neither http nor https
   * (nor ws/wss where allowed), e.g. a redirect to {@code ftp:}.
   */
  UNRECOGNIZED_SCHEME(12006),
  /**
   * {@code ERROR_WINHTTP_NAME_NOT_RESOLVED} (12007): the server's host name could not be resolved.
   */
  NAME_NOT_RESOLVED(12007),
  /** {@code ERROR_WINHTTP_INVALID_OPTION} (12009): an option is unknown or its value is invalid. */
  INVALID_OPTION(12009),
  /** {@code ERROR_WINHTTP_OPTION_NOT_SETTABLE} (12011): the option can be queried but not set. */
  OPTION_NOT_SETTABLE(12011),
  /** {@code ERROR_WINHTTP_SHUTDOWN} (12012): the library (the session's I/O) is shutting down. */
  SHUTDOWN(12012),
  /**
   * {@code ERROR_WINHTTP_LOGIN_FAILURE} (12015): authentication failed; also a proxy tunnel that
   * needs credentials none were given for, or whose credentials the proxy rejected (HTTP 407 to
   * CONNECT, SOCKS5 authentication).
   */
  LOGIN_FAILURE(12015),
  /**
   * {@code ERROR_WINHTTP_OPERATION_CANCELLED} (12017): the operation was pending when its handle
   * was closed (or, for a websocket receive, when {@code close} was called).
   */
  OPERATION_CANCELLED(12017),
  /**
   * {@code ERROR_WINHTTP_INCORRECT_HANDLE_TYPE} (12018): the option or call does not apply to this
   * kind of handle, e.g. a timeout option set on a connect handle.
   */
  INCORRECT_HANDLE_TYPE(12018),
  /**
   * {@code ERROR_WINHTTP_INCORRECT_HANDLE_STATE} (12019): the call is not valid in the request's
   * current state, e.g. {@code readData} before headers or a second {@code receiveResponse}.
   */
  INCORRECT_HANDLE_STATE(12019),
  /** {@code ERROR_WINHTTP_CANNOT_CONNECT} (12029): no connection could be made (e.g. refused). */
  CANNOT_CONNECT(12029),
  /**
   * {@code ERROR_WINHTTP_CONNECTION_ERROR} (12030): the connection was reset or ended early, e.g. a
   * body shorter than its Content-Length or a chunked body cut before its last chunk.
   */
  CONNECTION_ERROR(12030),
  /**
   * {@code ERROR_WINHTTP_RESEND_REQUEST} (12032): the request must be sent again (e.g. after auth).
   */
  RESEND_REQUEST(12032),
  /**
   * {@code ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED} (12044): the server asked for a client
   * certificate.
   */
  CLIENT_AUTH_CERT_NEEDED(12044),
  /** {@code ERROR_WINHTTP_HEADER_NOT_FOUND} (12150): the requested header is not present. */
  HEADER_NOT_FOUND(12150),
  /**
   * {@code ERROR_WINHTTP_INVALID_SERVER_RESPONSE} (12152): the server's response is malformed, or a
   * websocket upgrade response is invalid (e.g. a wrong {@code Sec-WebSocket-Accept}).
   */
  INVALID_SERVER_RESPONSE(12152),
  /** {@code ERROR_WINHTTP_INVALID_HEADER} (12153): a header supplied by the caller is malformed. */
  INVALID_HEADER(12153),
  /** {@code ERROR_WINHTTP_INVALID_QUERY_REQUEST} (12154): a header query is malformed. */
  INVALID_QUERY_REQUEST(12154),
  /** {@code ERROR_WINHTTP_HEADER_ALREADY_EXISTS} (12155): a header added with ADD_IF_NEW exists. */
  HEADER_ALREADY_EXISTS(12155),
  /**
   * {@code ERROR_WINHTTP_REDIRECT_FAILED} (12156): too many redirects, or a redirect the {@link
   * RedirectPolicy} forbids (https to http).
   */
  REDIRECT_FAILED(12156),
  /**
   * {@code ERROR_WINHTTP_SECURE_FAILURE} (12175): TLS failed (handshake, certificate); preceded by
   * a {@code SECURE_FAILURE} notification whose flags say why, and the cause keeps the JDK
   * exception.
   */
  SECURE_FAILURE(12175),
  /**
   * {@code ERROR_WINHTTP_AUTODETECTION_FAILED} (12180): the proxy could not be determined; in
   * telltale, the {@link java.net.ProxySelector} of {@link ProxySettings#selector} threw.
   */
  AUTODETECTION_FAILED(12180),
  /**
   * {@code ERROR_WINHTTP_HEADER_COUNT_EXCEEDED} (12181): the response has too many header fields.
   */
  HEADER_COUNT_EXCEEDED(12181),
  /**
   * {@code ERROR_WINHTTP_HEADER_SIZE_OVERFLOW} (12182): the response head is larger than {@code
   * MAX_RESPONSE_HEADER_SIZE}.
   */
  HEADER_SIZE_OVERFLOW(12182),
  /**
   * {@code ERROR_WINHTTP_CHUNKED_ENCODING_HEADER_SIZE_OVERFLOW} (12183): a chunk-size line (with
   * extensions) or the trailer section is too long.
   */
  CHUNKED_ENCODING_HEADER_SIZE_OVERFLOW(12183),
  /**
   * {@code ERROR_WINHTTP_RESPONSE_DRAIN_OVERFLOW} (12184): an unread body to be drained (e.g. of a
   * redirect response) exceeds {@code MAX_RESPONSE_DRAIN_SIZE}.
   */
  RESPONSE_DRAIN_OVERFLOW(12184),
  /**
   * {@code ERROR_WINHTTP_CLIENT_CERT_NO_PRIVATE_KEY} (12185): the client certificate has no usable
   * private key.
   */
  CLIENT_CERT_NO_PRIVATE_KEY(12185);

  private static final Map<Integer, ErrorCode> BY_VALUE = new HashMap<>();

  static {
    for (ErrorCode c : values()) {
      BY_VALUE.put(c.value, c);
    }
  }

  private final int value;

  ErrorCode(int value) {
    this.value = value;
  }

  /**
   * Returns the WinHTTP / Win32 error number, as {@code GetLastError()} would report it.
   *
   * @return the error number, e.g. 12029 for {@link #CANNOT_CONNECT}
   */
  public int value() {
    return value;
  }

  /**
   * Returns the code with the given WinHTTP / Win32 error number.
   *
   * @param value an error number such as 12002
   * @return the matching code
   * @throws IllegalArgumentException if telltale has no code with that number
   */
  public static ErrorCode fromValue(int value) {
    ErrorCode c = BY_VALUE.get(value);
    if (c == null) {
      throw new IllegalArgumentException("unknown error code: " + value);
    }
    return c;
  }

  /**
   * Formats an exception carrying this code: {@code class: NAME (number): message}, without {@code
   * : message} when there is none. Shared by {@link HttpException} and {@link HandleException}.
   */
  String describe(Class<?> type, String message) {
    StringBuilder sb =
        new StringBuilder(type.getName())
            .append(": ")
            .append(name())
            .append(" (")
            .append(value)
            .append(')');
    if (message != null) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }
}
