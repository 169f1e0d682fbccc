package dev.telltale;

/**
 * {@code WinHttpWebSocketCompleteUpgrade}'s handle. WebSocket messaging is not available in this
 * version: {@link Request#completeUpgrade} does not create one yet.
 */
public final class WebSocket implements Handle {
  private WebSocket() {}

  @Override
  public HandleType type() {
    return HandleType.WEBSOCKET;
  }

  @Override
  public Handle parent() {
    throw unavailable();
  }

  @Override
  public StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags) {
    throw unavailable();
  }

  @Override
  public Object context() {
    throw unavailable();
  }

  @Override
  public void setContext(Object context) {
    throw unavailable();
  }

  @Override
  public <T> void setOption(Option<T> option, T value) {
    throw unavailable();
  }

  @Override
  public <T> T queryOption(Option<T> option) {
    throw unavailable();
  }

  @Override
  public boolean isClosed() {
    return true;
  }

  @Override
  public void close() {}

  private static HandleException unavailable() {
    return new HandleException(ErrorCode.INVALID_OPERATION, "WebSocket support is not available yet");
  }
}
