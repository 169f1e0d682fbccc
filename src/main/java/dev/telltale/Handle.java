package dev.telltale;

/**
 * A WinHTTP handle ({@code HINTERNET}): a {@link Session}, a {@link Connect}, a {@link Request} or a
 * {@link WebSocket}. Each has a status callback with notification flags, a context value and
 * typed options; children snapshot the callback, flags and context of their parent when created.
 *
 * <p>{@link #close()} is {@code WinHttpCloseHandle}: idempotent, never throws, and
 * {@link CallbackStatus#HANDLE_CLOSING} is the handle's last notification. A parent's
 * HANDLE_CLOSING waits until all its children have closed; open children stay usable meanwhile.
 * Any other call on a closed handle throws {@link HandleException} with
 * {@link ErrorCode#INVALID_HANDLE}.
 */
public sealed interface Handle extends AutoCloseable permits Session, Connect, Request, WebSocket {
  /** The kind of handle. */
  HandleType type();

  /** The parent: null for a session; a connect's session; a request's connect; a websocket's request. */
  Handle parent();

  /**
   * {@code WinHttpSetStatusCallback}: installs {@code callback} with {@code flags} (together) and
   * returns the previous callback, or null. A null callback uninstalls. Children created later
   * copy the callback, flags and context; existing children keep theirs.
   *
   * <p>When this returns on a thread that is not inside a callback of this handle, the previous
   * callback is not running for this handle and will not be called again.
   *
   * @throws HandleException INVALID_HANDLE if the handle is closed
   */
  StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags);

  /** The context value passed to callbacks ({@code WINHTTP_OPTION_CONTEXT_VALUE}); null by default. */
  Object context();

  /**
   * Sets the context value passed to this handle's callbacks.
   *
   * @throws HandleException INVALID_HANDLE if the handle is closed
   */
  void setContext(Object context);

  /**
   * {@code WinHttpSetOption}.
   *
   * @throws HandleException INCORRECT_HANDLE_TYPE if the option does not apply to this handle type,
   *     INVALID_HANDLE if the handle is closed
   * @throws IllegalArgumentException if the value is outside the option's range
   */
  <T> void setOption(Option<T> option, T value);

  /**
   * {@code WinHttpQueryOption}: the value set on this handle, else the inherited or default value.
   *
   * @throws HandleException INCORRECT_HANDLE_TYPE if the option does not apply to this handle type
   */
  <T> T queryOption(Option<T> option);

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  /**
   * {@code WinHttpCloseHandle}: cancels pending operations (each reports REQUEST_ERROR with
   * OPERATION_CANCELLED), then delivers HANDLE_CLOSING, the handle's last notification. Calling it
   * again does nothing. Never throws.
   */
  @Override
  void close();
}
