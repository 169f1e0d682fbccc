package dev.telltale;

/**
 * The kinds of status notification a {@link StatusCallback} can receive: WinHTTP's {@code
 * WINHTTP_CALLBACK_STATUS_*} constants without the prefix.
 *
 * <p>{@link #value()} is the bit winhttp.h assigns to the status, so masks ported from C code keep
 * their meaning (see {@link NotificationFlags#fromMask(int)}). Each {@link StatusEvent} record
 * reports its constant through {@link StatusEvent#status()}.
 */
public enum CallbackStatus {
  /** {@code WINHTTP_CALLBACK_STATUS_RESOLVING_NAME}: looking up the server's address. */
  RESOLVING_NAME(0x0000_0001),
  /** {@code WINHTTP_CALLBACK_STATUS_NAME_RESOLVED}: the server's address was found. */
  NAME_RESOLVED(0x0000_0002),
  /** {@code WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER}: opening a connection to an address. */
  CONNECTING_TO_SERVER(0x0000_0004),
  /** {@code WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER}: the connection is established. */
  CONNECTED_TO_SERVER(0x0000_0008),
  /** {@code WINHTTP_CALLBACK_STATUS_SENDING_REQUEST}: starting to write the request. */
  SENDING_REQUEST(0x0000_0010),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_REQUEST_SENT}: the request head (and body sent so far) is
   * written.
   */
  REQUEST_SENT(0x0000_0020),
  /** {@code WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE}: waiting for the response. */
  RECEIVING_RESPONSE(0x0000_0040),
  /** {@code WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED}: a response head was received. */
  RESPONSE_RECEIVED(0x0000_0080),
  /** {@code WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION}: about to close the connection. */
  CLOSING_CONNECTION(0x0000_0100),
  /** {@code WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED}: the connection was closed. */
  CONNECTION_CLOSED(0x0000_0200),
  /** {@code WINHTTP_CALLBACK_STATUS_HANDLE_CREATED}: a handle was created. */
  HANDLE_CREATED(0x0000_0400),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING}: the handle is closing; its last notification.
   */
  HANDLE_CLOSING(0x0000_0800),
  /** {@code WINHTTP_CALLBACK_STATUS_DETECTING_PROXY}: proxy auto-detection is running. */
  DETECTING_PROXY(0x0000_1000),
  /** {@code WINHTTP_CALLBACK_STATUS_REDIRECT}: the request is being redirected. */
  REDIRECT(0x0000_4000),
  /** {@code WINHTTP_CALLBACK_STATUS_INTERMEDIATE_RESPONSE}: a 1xx (other than 101) was received. */
  INTERMEDIATE_RESPONSE(0x0000_8000),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_SECURE_FAILURE}: the TLS handshake or certificate check failed.
   */
  SECURE_FAILURE(0x0001_0000),
  /** {@code WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE}: completion of {@code receiveResponse}. */
  HEADERS_AVAILABLE(0x0002_0000),
  /** {@code WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE}: completion of {@code queryDataAvailable}. */
  DATA_AVAILABLE(0x0004_0000),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_READ_COMPLETE}: completion of {@code readData} or a websocket
   * receive.
   */
  READ_COMPLETE(0x0008_0000),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE}: completion of {@code writeData} or a websocket
   * send.
   */
  WRITE_COMPLETE(0x0010_0000),
  /** {@code WINHTTP_CALLBACK_STATUS_REQUEST_ERROR}: an asynchronous operation failed. */
  REQUEST_ERROR(0x0020_0000),
  /** {@code WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE}: completion of {@code sendRequest}. */
  SENDREQUEST_COMPLETE(0x0040_0000),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_GETPROXYFORURL_COMPLETE}: completion of {@code
   * WinHttpGetProxyForUrlEx}. Present for completeness; telltale has no such operation yet.
   */
  GETPROXYFORURL_COMPLETE(0x0100_0000),
  /** {@code WINHTTP_CALLBACK_STATUS_CLOSE_COMPLETE}: completion of a websocket {@code close}. */
  CLOSE_COMPLETE(0x0200_0000),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_SHUTDOWN_COMPLETE}: completion of a websocket {@code shutdown}.
   */
  SHUTDOWN_COMPLETE(0x0400_0000);

  private static final CallbackStatus[] BY_BIT = new CallbackStatus[32];

  static {
    for (CallbackStatus s : values()) {
      BY_BIT[Integer.numberOfTrailingZeros(s.value)] = s;
    }
  }

  private final int value;

  CallbackStatus(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h value of this status, e.g. {@code 0x1} for {@code
   * WINHTTP_CALLBACK_STATUS_RESOLVING_NAME}. Every value is a single bit.
   *
   * @return the {@code WINHTTP_CALLBACK_STATUS_*} value
   */
  public int value() {
    return value;
  }

  /**
   * Returns the status with the given winhttp.h value, the inverse of {@link #value()}.
   *
   * @param value a {@code WINHTTP_CALLBACK_STATUS_*} value (a single bit)
   * @return the matching status
   * @throws IllegalArgumentException if no status has this value (including masks of several bits)
   */
  public static CallbackStatus fromValue(int value) {
    if (Integer.bitCount(value) == 1) {
      CallbackStatus s = BY_BIT[Integer.numberOfTrailingZeros(value)];
      if (s != null) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown callback status: 0x" + Integer.toHexString(value));
  }
}
