package dev.telltale;

import java.util.Objects;

/**
 * The result of a websocket send or receive: WinHTTP's {@code WINHTTP_WEB_SOCKET_STATUS}, delivered
 * with {@code READ_COMPLETE} / {@code WRITE_COMPLETE} ({@link StatusEvent.WebSocketReadComplete},
 * {@link StatusEvent.WebSocketWriteComplete}) and as the value of {@code WebSocket.receive}'s
 * future.
 *
 * @param bytesTransferred {@code dwBytesTransferred}: bytes placed in (or taken from) the buffer,
 *     not negative
 * @param bufferType {@code eBufferType}: what those bytes are, not null
 */
public record WebSocketStatus(int bytesTransferred, WebSocketBufferType bufferType) {
  /**
   * Validates the fields.
   *
   * @param bytesTransferred bytes placed in (or taken from) the buffer
   * @param bufferType what those bytes are
   * @throws IllegalArgumentException if {@code bytesTransferred} is negative
   * @throws NullPointerException if {@code bufferType} is null
   */
  public WebSocketStatus {
    if (bytesTransferred < 0) {
      throw new IllegalArgumentException("bytesTransferred < 0: " + bytesTransferred);
    }
    Objects.requireNonNull(bufferType, "bufferType");
  }
}
