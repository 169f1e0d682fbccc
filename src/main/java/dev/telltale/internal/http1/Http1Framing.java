package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;
import java.util.List;

/**
 * Decides how a response body is delimited: the message-body-length rules of RFC 9112 §6.3, in
 * order, as they apply to a client. Ambiguous framing is rejected rather than guessed, since two
 * parties guessing differently is what request smuggling and response splitting exploit.
 */
public final class Http1Framing {
  /** The most digits a Content-Length may have: 18 decimal digits always fit in a long. */
  public static final int MAX_CONTENT_LENGTH_DIGITS = 18;

  private Http1Framing() {}

  /**
   * Returns the decoder for the body of {@code head}, the response to a {@code requestMethod}
   * request, with the default trailer limit.
   *
   * @throws ProtocolViolation if the framing headers are invalid or contradict each other
   */
  public static BodyDecoder decoderFor(String requestMethod, ResponseHead head)
      throws ProtocolViolation {
    return decoderFor(requestMethod, head, ChunkedBodyDecoder.DEFAULT_MAX_TRAILER_BYTES);
  }

  /**
   * Returns the decoder for the body of {@code head}, the response to a {@code requestMethod}
   * request, allowing a chunked trailer section of up to {@code maxTrailerBytes}.
   *
   * @throws ProtocolViolation if the framing headers are invalid or contradict each other
   */
  public static BodyDecoder decoderFor(String requestMethod, ResponseHead head, int maxTrailerBytes)
      throws ProtocolViolation {
    int status = head.statusCode();
    // Items 1 and 2: these responses end at the head whatever their headers claim.
    if (head.isInterim() || status == 204 || status == 304 || requestMethod.equals("HEAD")) {
      return BodyDecoder.NONE;
    }
    if (requestMethod.equals("CONNECT") && status < 300) {
      return BodyDecoder.NONE; // the connection is now a tunnel
    }
    List<String> transferEncodings = head.values("Transfer-Encoding");
    List<String> contentLengths = head.values("Content-Length");
    if (!transferEncodings.isEmpty()) {
      if (!contentLengths.isEmpty()) {
        throw ProtocolViolation.malformed("both Transfer-Encoding and Content-Length");
      }
      if (ResponseHead.HTTP_1_0.equals(head.version())) {
        // §6.1: HTTP/1.0 has no Transfer-Encoding, so its presence means the framing is faulty.
        throw ProtocolViolation.malformed("Transfer-Encoding in an HTTP/1.0 response");
      }
      return lastCodingIsChunked(transferEncodings)
          ? new ChunkedBodyDecoder(maxTrailerBytes)
          : new UntilCloseBodyDecoder(); // item 4, for responses: read until close
    }
    if (!contentLengths.isEmpty()) {
      return new FixedLengthBodyDecoder(contentLength(contentLengths));
    }
    return new UntilCloseBodyDecoder();
  }

  /**
   * Whether chunked is the final transfer coding; fails if chunked is applied twice or is followed
   * by another coding (§6.1: chunked must be applied exactly once, and last). Codings may be spread
   * over several fields and carry parameters; empty list elements are ignored (RFC 9110 §5.6.1).
   */
  private static boolean lastCodingIsChunked(List<String> fields) throws ProtocolViolation {
    boolean chunked = false;
    boolean last = false;
    for (String field : fields) {
      int i = 0;
      while (i <= field.length()) {
        int comma = field.indexOf(',', i);
        int end = comma < 0 ? field.length() : comma;
        int semicolon = field.indexOf(';', i);
        int nameEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
        int from = skipWhitespace(field, i, nameEnd);
        int to = trimWhitespace(field, from, nameEnd);
        if (to > from) {
          last = to - from == 7 && field.regionMatches(true, from, "chunked", 0, 7);
          if (last && chunked) {
            throw ProtocolViolation.malformed("chunked transfer coding applied more than once");
          }
          if (!last && chunked) {
            throw ProtocolViolation.malformed("chunked is not the final transfer coding");
          }
          chunked |= last;
        }
        i = end + 1;
      }
    }
    return last;
  }

  /**
   * The body length from every Content-Length field: {@code 1*DIGIT} each, and several fields or a
   * comma list are accepted only when all values agree (RFC 9110 §8.6).
   */
  private static long contentLength(List<String> fields) throws ProtocolViolation {
    long length = -1;
    for (String field : fields) {
      int i = 0;
      while (i <= field.length()) {
        int comma = field.indexOf(',', i);
        int end = comma < 0 ? field.length() : comma;
        int from = skipWhitespace(field, i, end);
        int to = trimWhitespace(field, from, end);
        long value = digits(field, from, to);
        if (length >= 0 && value != length) {
          throw ProtocolViolation.malformed("conflicting Content-Length values");
        }
        length = value;
        i = end + 1;
      }
    }
    return length;
  }

  private static long digits(String s, int from, int to) throws ProtocolViolation {
    if (to == from) {
      throw ProtocolViolation.malformed("invalid Content-Length: empty");
    }
    if (to - from > MAX_CONTENT_LENGTH_DIGITS) {
      throw ProtocolViolation.malformed(
          "invalid Content-Length: "
              + (to - from)
              + " characters, at most "
              + MAX_CONTENT_LENGTH_DIGITS
              + " digits");
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!Ascii.isDigit(c)) {
        throw ProtocolViolation.malformed("invalid Content-Length: not a decimal number");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int skipWhitespace(String s, int from, int to) {
    while (from < to && Ascii.isWhitespace(s.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int trimWhitespace(String s, int from, int to) {
    while (to > from && Ascii.isWhitespace(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }
}
