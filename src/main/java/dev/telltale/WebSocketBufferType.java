package dev.telltale;

/**
 * The kind of websocket data sent or received: WinHTTP's {@code WINHTTP_WEB_SOCKET_BUFFER_TYPE},
 * with {@link #value()} the winhttp.h number.
 *
 * <p>A message larger than the receive buffer arrives as {@code *_FRAGMENT} pieces followed by a
 * final {@code *_MESSAGE}; sending works the same way. The peer's close frame is received as {@link
 * #CLOSE} with 0 bytes.
 */
public enum WebSocketBufferType {
  /**
   * {@code WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE} (0): a binary message, or its last piece.
   */
  BINARY_MESSAGE(0),
  /** {@code WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE} (1): a binary piece, more follows. */
  BINARY_FRAGMENT(1),
  /** {@code WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE} (2): a text message, or its last piece. */
  UTF8_MESSAGE(2),
  /** {@code WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE} (3): a text piece, more follows. */
  UTF8_FRAGMENT(3),
  /** {@code WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE} (4): the peer's close frame. */
  CLOSE(4);

  private final int value;

  WebSocketBufferType(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h value of this buffer type.
   *
   * @return the {@code WINHTTP_WEB_SOCKET_*_BUFFER_TYPE} value, 0 to 4
   */
  public int value() {
    return value;
  }
}
