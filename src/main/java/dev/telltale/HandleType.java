package dev.telltale;

/**
 * The kind of a {@link Handle}, as returned by {@link Handle#type()}.
 *
 * <p>WinHTTP has a single {@code HINTERNET} type for all of these and tells them apart internally
 * (the {@code WINHTTP_HANDLE_TYPE_SESSION}, {@code WINHTTP_HANDLE_TYPE_CONNECT} and {@code
 * WINHTTP_HANDLE_TYPE_REQUEST} values of {@code WINHTTP_OPTION_HANDLE_TYPE}); in telltale each kind
 * is its own class, and this enum names them for code that holds a plain {@code Handle}.
 */
public enum HandleType {
  /** A session handle ({@link Session}), created by {@code WinHttpOpen}. */
  SESSION,
  /** A connect handle ({@link Connect}), created by {@code WinHttpConnect}. */
  CONNECT,
  /** A request handle ({@link Request}), created by {@code WinHttpOpenRequest}. */
  REQUEST,
  /** A websocket handle ({@link WebSocket}), created by {@code WinHttpWebSocketCompleteUpgrade}. */
  WEBSOCKET
}
