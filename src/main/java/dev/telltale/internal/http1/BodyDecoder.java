package dev.telltale.internal.http1;

import java.nio.ByteBuffer;

/**
 * Finds the body bytes of one response in the bytes that follow its head (RFC 9112 §6-§7), without
 * copying them: the decoder skips framing and reports how many body bytes start at the buffer's
 * position; the caller moves them wherever they need to go (ideally straight into the application's
 * buffer) and says how many it took.
 *
 * <p>The engine's loop, for each batch of bytes read from the connection:
 *
 * <pre>{@code
 * int n;
 * while ((n = decoder.available(src)) > 0) {
 *   int taken = deliver(src, n);        // advances src.position() by taken <= n
 *   decoder.consumed(taken);
 *   if (taken < n) break;               // caller's buffer is full; resume later
 * }
 * if (decoder.isComplete()) { ... src now holds the next response, if any ... }
 * }</pre>
 *
 * <p>Decoders never read past the end of their body: once {@link #isComplete()} is true, the bytes
 * left in {@code src} belong to the next response on the connection. Not thread-safe; one decoder
 * serves one response.
 */
public interface BodyDecoder {
  /** The decoder for responses without a body (HEAD, 1xx, 204, 304): complete from the start. */
  BodyDecoder NONE = EmptyBodyDecoder.INSTANCE;

  /**
   * Advances {@code src} past framing that precedes body bytes (chunk-size lines, chunk CRLFs, the
   * last chunk and trailers) and returns how many body bytes start at {@code src.position()}: at
   * most {@code src.remaining()}, and never past the end of the body. Returns 0 when more input is
   * needed or the body is complete; check {@link #isComplete()} to tell which.
   *
   * @throws ProtocolViolation if the framing is malformed
   */
  int available(ByteBuffer src) throws ProtocolViolation;

  /**
   * Records that the caller advanced {@code src.position()} by {@code n} body bytes.
   *
   * @throws IllegalArgumentException if {@code n} exceeds the last value of {@link #available}
   */
  void consumed(int n);

  /** Whether the whole body, including a chunked body's trailers, has been consumed. */
  boolean isComplete();

  /**
   * The connection reached end of input. A close-delimited body is now complete; any other body
   * that is not complete was cut short, which RFC 9112 §8 says must not be mistaken for a whole
   * response.
   *
   * @throws ProtocolViolation of kind {@code TRUNCATED} if the body is incomplete
   */
  void endOfInput() throws ProtocolViolation;

  /**
   * Body bytes still expected for a fixed-length body; -1 when the length is not known up front.
   */
  long remaining();

  /** Whether the body ends only when the server closes the connection (RFC 9112 §6.3 item 8). */
  boolean closeDelimited();
}
