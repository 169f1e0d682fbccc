package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes an HTTP/1.1 request head (RFC 9112 §3, §5) into one exactly sized heap buffer, ready for
 * a gathering write together with the body.
 *
 * <p>Validation is split from encoding: the engine calls the {@code validate*} methods when the
 * application hands over a method, target or header, so a bad value fails at that call with a
 * {@code HandleException} instead of later on the loop thread. {@link #encodeHead} still refuses
 * characters that do not fit in one byte, because truncating them could turn, say, U+010A into a
 * line feed.
 */
public final class Http1RequestWriter {
  private static final int VERSION_AND_CRLF = " HTTP/1.1\r\n".length();

  private Http1RequestWriter() {}

  /**
   * Returns {@code METHOD SP target SP HTTP/1.1 CRLF (name ": " value CRLF)* CRLF} in ISO-8859-1,
   * in a buffer positioned at 0 with exactly the head's bytes remaining.
   *
   * @param headerNamesAndValues {@code [name0, value0, name1, value1, ...]}, already validated
   * @throws IllegalArgumentException if the list has odd size or a char exceeds U+00FF
   */
  public static ByteBuffer encodeHead(
      String method, String target, List<String> headerNamesAndValues) {
    return encodeHead(method, target, null, -1, headerNamesAndValues);
  }

  /**
   * Like {@link #encodeHead(String, String, List)}, with a {@code Host} field first, written from
   * its parts: {@code host}, then {@code ":" port} unless {@code port} is negative (the scheme's
   * default). No field when {@code host} is null. Writing the parts saves building the field's
   * String for every request.
   */
  public static ByteBuffer encodeHead(
      String method, String target, String host, int port, List<String> headerNamesAndValues) {
    int fields = headerNamesAndValues.size();
    if ((fields & 1) != 0) {
      throw new IllegalArgumentException("header list has a name without a value");
    }
    int size = method.length() + 1 + target.length() + VERSION_AND_CRLF + 2;
    if (host != null) {
      size += HOST.length() + host.length() + (port < 0 ? 0 : 1 + digits(port)) + 2;
    }
    for (int i = 0; i < fields; i += 2) {
      size +=
          headerNamesAndValues.get(i).length() + 2 + headerNamesAndValues.get(i + 1).length() + 2;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    put(out, method);
    out.put((byte) ' ');
    put(out, target);
    put(out, " HTTP/1.1\r\n");
    if (host != null) {
      put(out, HOST);
      put(out, host);
      if (port >= 0) {
        out.put((byte) ':');
        putDigits(out, port);
      }
      out.put((byte) '\r').put((byte) '\n');
    }
    for (int i = 0; i < fields; i += 2) {
      put(out, headerNamesAndValues.get(i));
      out.put((byte) ':').put((byte) ' ');
      put(out, headerNamesAndValues.get(i + 1));
      out.put((byte) '\r').put((byte) '\n');
    }
    out.put((byte) '\r').put((byte) '\n');
    return out.flip();
  }

  private static final String HOST = "Host: ";

  private static int digits(int n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }

  private static void putDigits(ByteBuffer out, int n) {
    int at = out.position() + digits(n);
    out.position(at);
    do {
      out.put(--at, (byte) ('0' + n % 10));
      n /= 10;
    } while (n > 0);
  }

  private static void put(ByteBuffer out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xFF) {
        throw new IllegalArgumentException("character beyond ISO-8859-1 at index " + i);
      }
      out.put((byte) c);
    }
  }

  /** Checks that {@code method} is a token (RFC 9110 §9.1), e.g. no spaces. */
  public static void validateMethod(String method) {
    checkToken(method, "method");
  }

  /** Checks that {@code name} is a token (RFC 9110 §5.1): no spaces, colons or controls. */
  public static void validateFieldName(String name) {
    checkToken(name, "header name");
  }

  /**
   * Checks that {@code value} contains no CR, LF or NUL (RFC 9110 §5.5 calls them dangerous: they
   * would end the field or the head early) and only ISO-8859-1 characters.
   */
  public static void validateFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "header value contains "
                + (c == 0 ? "NUL" : c == '\r' ? "CR" : "LF")
                + " at index "
                + i);
      }
      if (c > 0xFF) {
        throw new IllegalArgumentException(
            "header value contains a character beyond ISO-8859-1 at index " + i);
      }
    }
  }

  /**
   * Checks that {@code target} is non-empty printable ASCII without spaces (RFC 9112 §3.2):
   * anything else must be percent-encoded, and a space or line break would split the request line.
   */
  public static void validateTarget(String target) {
    if (target.isEmpty()) {
      throw new IllegalArgumentException("request target is empty");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7F) {
        throw new IllegalArgumentException(
            "request target contains "
                + (c == ' '
                    ? "a space"
                    : c < ' ' || c == 0x7F ? "a control character" : "non-ASCII")
                + " at index "
                + i);
      }
    }
  }

  private static void checkToken(String s, String what) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Ascii.isTchar(s.charAt(i))) {
        throw new IllegalArgumentException(
            what + " is not a token: invalid character at index " + i);
      }
    }
  }
}
