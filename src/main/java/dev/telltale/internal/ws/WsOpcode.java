package dev.telltale.internal.ws;

/**
 * The frame opcodes of RFC 6455 §5.2 and their classification.
 *
 * <p>Plain {@code int} constants rather than an enum: the frame decoder reads the opcode as four bits
 * of a byte and passes it on without a lookup, and the unassigned values (3-7, 11-15) must be
 * representable long enough to be rejected with a message that names them.
 */
public final class WsOpcode {
  /** A continuation frame of a fragmented data message. */
  public static final int CONTINUATION = 0;
  /** The first frame of a text (UTF-8) message. */
  public static final int TEXT = 1;
  /** The first frame of a binary message. */
  public static final int BINARY = 2;
  /** A close frame (RFC 6455 §5.5.1). */
  public static final int CLOSE = 8;
  /** A ping frame (RFC 6455 §5.5.2). */
  public static final int PING = 9;
  /** A pong frame (RFC 6455 §5.5.3). */
  public static final int PONG = 10;

  private WsOpcode() {}

  /**
   * Whether {@code op} is a control opcode: RFC 6455 reserves the whole 0x8-0xF range for control
   * frames, so the unassigned 11-15 count too (they are rejected separately as unknown).
   */
  public static boolean isControl(int op) {
    return (op & 0x8) != 0;
  }

  /** Whether {@code op} is one of the six opcodes RFC 6455 defines. */
  public static boolean isKnown(int op) {
    return op == CONTINUATION
        || op == TEXT
        || op == BINARY
        || op == CLOSE
        || op == PING
        || op == PONG;
  }

  /** A short name for log lines and error messages ("TEXT", or "opcode 0x3" when unassigned). */
  public static String name(int op) {
    switch (op) {
      case CONTINUATION:
        return "CONTINUATION";
      case TEXT:
        return "TEXT";
      case BINARY:
        return "BINARY";
      case CLOSE:
        return "CLOSE";
      case PING:
        return "PING";
      case PONG:
        return "PONG";
      default:
        return "opcode 0x" + Integer.toHexString(op);
    }
  }
}
