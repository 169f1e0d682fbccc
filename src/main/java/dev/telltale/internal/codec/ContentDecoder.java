package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;
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

  /**
   * The decoder for the values of every {@code Content-Encoding} field of a response, which form
   * one list (RFC 9110 §5.3: "gzip" and "deflate" in two fields mean "gzip, deflate"), so a
   * second field cannot be overlooked. {@code identity} entries change nothing and are skipped.
   * Exactly one remaining coding that {@code gzip}/{@code deflate} enable gives its decoder;
   * none, several (stacked) or an unknown one give null: the body is delivered as received, and
   * the application sees why in the headers.
   */
  static ContentDecoder forFields(List<String> fieldValues, boolean gzip, boolean deflate) {
    String coding = null;
    for (String value : fieldValues) {
      for (String element : value.split(",")) {
        String c = element.trim();
        if (c.isEmpty() || c.equalsIgnoreCase("identity")) {
          continue;
        }
        if (coding != null) {
          return null; // stacked codings: not undone
        }
        coding = c;
      }
    }
    if (coding == null) {
      return null;
    }
    if (gzip && (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip"))) {
      return new GzipDecoder();
    }
    if (deflate && coding.equalsIgnoreCase("deflate")) {
      return new DeflateDecoder();
    }
    return null;
  }
}
