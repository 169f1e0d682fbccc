package dev.telltale.internal.http1;

/**
 * The server broke HTTP/1.1 framing or syntax (RFC 9112), or exceeded a limit the client set.
 *
 * <p>The codec throws only this exception for bad input so the engine has one thing to map to
 * {@code INVALID_SERVER_RESPONSE} and one place to close the connection: after a violation the
 * stream position is unknown, so the connection can never be reused. {@link #kind()} lets the
 * engine (and tests) tell limits from syntax without parsing the message.
 *
 * <p>Messages say what was wrong, the constraint and the offending size or position, but never echo
 * header or body bytes: those may carry cookies or tokens and end up in logs.
 */
public final class ProtocolViolation extends Exception {
  private static final long serialVersionUID = 1L;

  /** Broad class of the violation. */
  public enum Kind {
    /** Syntax or framing the RFC does not allow. */
    MALFORMED,
    /** The response head (or chunked trailer section) exceeds the configured byte limit. */
    HEADER_SIZE_OVERFLOW,
    /** The response head has more fields than the configured limit. */
    HEADER_COUNT_EXCEEDED,
    /** The connection ended before a length-delimited or chunked body was complete. */
    TRUNCATED
  }

  private final Kind kind;

  /**
   * Creates a violation. Stack traces are kept: violations are rare and the trace shows which
   * parser state rejected the input.
   */
  public ProtocolViolation(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** The broad class of the violation. */
  public Kind kind() {
    return kind;
  }

  static ProtocolViolation malformed(String message) {
    return new ProtocolViolation(Kind.MALFORMED, message);
  }
}
