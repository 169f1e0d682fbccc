package dev.telltale.internal.ws;

/**
 * A peer's violation of RFC 6455 or RFC 7692, found by the codec.
 *
 * <p>{@link #closeCode()} is the status code the client puts in the close frame it sends back:
 * {@link #PROTOCOL_ERROR} (1002), {@link #INVALID_PAYLOAD} (1007) or {@link #MESSAGE_TOO_BIG}
 * (1009). The message names the problem so it can be shown to the user as is.
 */
public final class WsProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Close code 1002: the peer broke the framing or message rules. */
  public static final int PROTOCOL_ERROR = 1002;
  /** Close code 1007: a text message or close reason was not valid UTF-8. */
  public static final int INVALID_PAYLOAD = 1007;
  /** Close code 1009: a frame or message exceeded the configured limit. */
  public static final int MESSAGE_TOO_BIG = 1009;

  private final int closeCode;

  /**
   * Creates the exception.
   *
   * @param closeCode the close code the client should send (1002, 1007 or 1009)
   * @param msg a message naming the problem
   */
  public WsProtocolException(int closeCode, String msg) {
    super(msg);
    this.closeCode = closeCode;
  }

  /** The close code the client should send in its close frame. */
  public int closeCode() {
    return closeCode;
  }
}
