package dev.telltale.internal.util;

/**
 * Byte-level character classes of HTTP's ABNF (RFC 9110 §5.6, RFC 5234 Appendix B), shared by the
 * HTTP/1.1 codec and the WebSocket handshake.
 *
 * <p>Every method takes an {@code int} so callers can pass {@code buffer.get(i) & 0xFF} or a {@code
 * char} without casts; values outside 0..255 simply fail the test. Tables instead of chains of
 * comparisons keep the per-byte cost of a parser loop at one array load.
 */
public final class Ascii {
  /**
   * {@code tchar} of RFC 9110 §5.6.2: the characters allowed in tokens, methods and field names.
   */
  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private Ascii() {}

  /** Whether {@code c} may appear in a token (field name, method, transfer coding). */
  public static boolean isTchar(int c) {
    return c >= 0 && c < 128 && TCHAR[c];
  }

  /** Whether {@code c} is SP or HTAB: the optional whitespace (OWS) around field values. */
  public static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t';
  }

  /** Whether {@code c} is a decimal digit. */
  public static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The value of hex digit {@code c} (either case), or -1 if it is not one. */
  public static int hexValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * Whether {@code c} is a control character other than HTAB (0x00-0x08, 0x0A-0x1F, 0x7F): the
   * bytes RFC 9110 §5.5 forbids in field values and RFC 9112 §4 in reason phrases.
   */
  public static boolean isControlExceptTab(int c) {
    return (c < 0x20 && c != '\t') || c == 0x7F;
  }

  /** Whether {@code s} is a non-empty token: the syntax of methods and field names. */
  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
