package dev.telltale;

/**
 * The peer's websocket close status and reason, returned by {@code WebSocket.queryCloseStatus}: the
 * {@code pusStatus} and {@code pvReason} results of {@code WinHttpWebSocketQueryCloseStatus}.
 *
 * @param status the close code (e.g. 1000 normal closure; 1005 when the peer's close frame carried
 *     no code)
 * @param reason the UTF-8 reason decoded, empty if none; a null argument is stored as empty
 */
public record CloseStatus(int status, String reason) {
  /**
   * Normalises a null reason to the empty string.
   *
   * @param status the close code (e.g. 1000 normal closure; 1005 when the peer's close frame
   *     carried no code)
   * @param reason the UTF-8 reason decoded, empty if none; a null argument is stored as empty
   */
  public CloseStatus {
    if (reason == null) {
      reason = "";
    }
  }
}
