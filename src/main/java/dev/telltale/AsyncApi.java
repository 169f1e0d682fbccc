package dev.telltale;

/**
 * Which asynchronous operation failed: the {@code dwResult} field of the {@code
 * WINHTTP_ASYNC_RESULT} that accompanies {@code WINHTTP_CALLBACK_STATUS_REQUEST_ERROR}, carried by
 * {@link StatusEvent.RequestError#api()}.
 *
 * <p>For the HTTP operations {@link #value()} is winhttp.h's {@code API_*} number. WinHTTP reports
 * websocket failures through a {@code WINHTTP_WEB_SOCKET_ASYNC_RESULT} whose {@code Operation}
 * field is a {@code WINHTTP_WEB_SOCKET_OPERATION}; for the {@code WEB_SOCKET_*} constants {@link
 * #value()} is that number instead (send 0, receive 1, close 2, shutdown 3), so use {@link
 * #isWebSocket()} to know which numbering applies.
 */
public enum AsyncApi {
  /** {@code API_RECEIVE_RESPONSE} (1): {@code Request.receiveResponse}. */
  RECEIVE_RESPONSE(1),
  /** {@code API_QUERY_DATA_AVAILABLE} (2): {@code Request.queryDataAvailable}. */
  QUERY_DATA_AVAILABLE(2),
  /** {@code API_READ_DATA} (3): {@code Request.readData}. */
  READ_DATA(3),
  /** {@code API_WRITE_DATA} (4): {@code Request.writeData}. */
  WRITE_DATA(4),
  /** {@code API_SEND_REQUEST} (5): {@code Request.sendRequest}. */
  SEND_REQUEST(5),
  /**
   * {@code API_GET_PROXY_FOR_URL} (6): {@code WinHttpGetProxyForUrlEx}; no telltale operation yet.
   */
  GET_PROXY_FOR_URL(6),
  /** {@code WINHTTP_WEB_SOCKET_SEND_OPERATION} (0): {@code WebSocket.send}. */
  WEB_SOCKET_SEND(0),
  /** {@code WINHTTP_WEB_SOCKET_RECEIVE_OPERATION} (1): {@code WebSocket.receive}. */
  WEB_SOCKET_RECEIVE(1),
  /** {@code WINHTTP_WEB_SOCKET_CLOSE_OPERATION} (2): {@code WebSocket.close}. */
  WEB_SOCKET_CLOSE(2),
  /** {@code WINHTTP_WEB_SOCKET_SHUTDOWN_OPERATION} (3): {@code WebSocket.shutdown}. */
  WEB_SOCKET_SHUTDOWN(3);

  private final int value;

  AsyncApi(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h number: {@code API_*} for the HTTP operations, {@code
   * WINHTTP_WEB_SOCKET_*_OPERATION} for the websocket ones (the two numberings overlap; see {@link
   * #isWebSocket()}).
   *
   * @return the winhttp.h number
   */
  public int value() {
    return value;
  }

  /**
   * Tells whether this is a websocket operation, whose {@link #value()} is a {@code
   * WINHTTP_WEB_SOCKET_OPERATION} rather than an {@code API_*} number.
   *
   * @return true for the {@code WEB_SOCKET_*} constants
   */
  public boolean isWebSocket() {
    return ordinal() >= WEB_SOCKET_SEND.ordinal();
  }
}
