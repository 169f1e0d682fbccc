package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Undoes a content coding (RFC 9110 §8.4) as the encoded body streams in: bytes in, bytes out, no
 * buffering of the body. The engine feeds it exactly the body bytes the framing decoder found
 * (never chunk framing, never the next response) and gives it the application's buffer to fill.
 *
 * <p>Each call consumes input until {@code out} is full or the input is used up, so a caller with
 * room left in {@code out} and nothing produced needs more input. Not thread-safe.
 */
public interface ContentDecoder {
  /**
   * Decodes from {@code in} into {@code out}, advancing both positions.
   *
   * @return the bytes written to {@code out}
   * @throws ProtocolViolation if the encoded data is corrupt
   */
  int decode(ByteBuffer in, ByteBuffer out) throws ProtocolViolation;

  /** Whether the last decode filled {@code out}: more output may be pending without more input. */
  boolean outputPending();

  /**
   * The encoded body has ended.
   *
   * @throws ProtocolViolation if the coded stream was cut before its end
   */
  void endOfBody() throws ProtocolViolation;

  /** Frees the native inflater; the decoder is not used afterwards. Idempotent. */
  void release();

  /**
   * The decoder for a {@code Content-Encoding} value if it names exactly one coding that
   * {@code gzip}/{@code deflate} enable; otherwise null (the body is delivered as received).
   */
  static ContentDecoder forEncoding(String contentEncoding, boolean gzip, boolean deflate) {
    return contentEncoding == null ? null : forFields(List.of(contentEncoding), gzip, deflate);
  }

  /** The most codings undone for one body; a longer stack is delivered as received. */
  int MAX_STACKED = 3;

  /**
   * The decoder for the values of every {@code Content-Encoding} field of a response, which form
   * one list (RFC 9110 §5.3: "gzip" and "deflate" in two fields mean "gzip, deflate"), so a
   * second field cannot be overlooked. {@code identity} entries change nothing and are skipped.
   * Codings listed in the order they were applied are undone last to first, up to
   * {@link #MAX_STACKED} of them. Null when there is none, when one is not enabled by
   * {@code gzip}/{@code deflate} or unknown, or when there are more than {@link #MAX_STACKED}:
   * the body is then delivered as received, and the application sees why in the headers.
   */
  static ContentDecoder forFields(List<String> fieldValues, boolean gzip, boolean deflate) {
    List<String> codings = decodable(fieldValues, gzip, deflate);
    if (codings == null) {
      return null;
    }
    ContentDecoder decoder = single(codings.get(0));
    for (int i = 1; i < codings.size(); i++) {
      decoder = new StackedDecoder(single(codings.get(i)), decoder);
    }
    return decoder;
  }

  /**
   * The codings {@link #forFields} would undo for these {@code Content-Encoding} values, in the
   * order they were applied (identity left out), or null when it would deliver the body as
   * received. For callers that only need to know, such as the tracer's report.
   */
  static List<String> decodable(List<String> fieldValues, boolean gzip, boolean deflate) {
    List<String> codings = new ArrayList<>(2);
    for (String value : fieldValues) {
      for (String element : value.split(",")) {
        String c = element.trim();
        if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
          codings.add(c);
        }
      }
    }
    if (codings.isEmpty() || codings.size() > MAX_STACKED) {
      return null;
    }
    for (String coding : codings) {
      if (!enabled(coding, gzip, deflate)) {
        return null; // decoding only part of the stack would hand out neither form
      }
    }
    return codings;
  }

  private static boolean enabled(String coding, boolean gzip, boolean deflate) {
    return gzip && isGzip(coding) || deflate && coding.equalsIgnoreCase("deflate");
  }

  private static boolean isGzip(String coding) {
    return coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip");
  }

  private static ContentDecoder single(String coding) {
    return isGzip(coding) ? new GzipDecoder() : new DeflateDecoder();
  }
}
