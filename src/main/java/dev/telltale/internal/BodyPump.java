package dev.telltale.internal;

import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ProtocolViolation;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Moves response body bytes from a connection's read buffer through a {@link BodyDecoder}:
 * counting what can be read now (queryDataAvailable), copying into the caller's buffer (readData)
 * or discarding (a drained or redirected body). Reads the socket only when the buffer holds no
 * body bytes, and never past the body's end: what follows belongs to the next response.
 */
final class BodyPump {
  /** No body bytes now: wait until the socket is readable. */
  static final int NEED_INPUT = -1;

  /**
   * From this much room in the caller's buffer on, body bytes are read from the socket straight
   * into it when the connection has none buffered: one copy less, and as many bytes per read as
   * the caller offers instead of a read buffer's worth.
   */
  static final int DIRECT_READ_MIN = 4096;

  private BodyPump() {}

  /**
   * With {@code dst} null: the body bytes available now. Otherwise: bytes copied into {@code dst}
   * (its position advances). 0 means the body is complete; {@link #NEED_INPUT} that the socket
   * has nothing yet. After copying, framing that follows the data in the buffer is stepped over,
   * so {@link BodyDecoder#isComplete()} turns true in the same call that took the last byte.
   *
   * @throws ProtocolViolation for bad framing, or TRUNCATED when the stream ended too early
   */
  static int pump(BodyDecoder decoder, Connection conn, ByteBuffer dst)
      throws ProtocolViolation, IOException {
    while (!decoder.isComplete()) {
      ByteBuffer in = conn.in();
      int n = decoder.available(in);
      if (n > 0) {
        if (dst == null) {
          return n;
        }
        int take = Math.min(n, dst.remaining());
        dst.put(dst.position(), in, in.position(), take); // absolute: no slice to allocate
        dst.position(dst.position() + take);
        in.position(in.position() + take);
        decoder.consumed(take);
        decoder.available(in);
        return take;
      }
      if (decoder.isComplete()) {
        break;
      }
      if (dst != null && !conn.hasBuffered() && dst.remaining() >= DIRECT_READ_MIN) {
        int direct = readDirect(decoder, conn, dst);
        if (direct != 0) {
          return direct;
        }
        if (decoder.isComplete()) {
          break; // the stream ended a close-delimited body
        }
      }
      int read = conn.fill();
      if (read < 0) {
        decoder.endOfInput();
      } else if (read == 0) {
        return NEED_INPUT;
      }
    }
    return 0;
  }

  /**
   * Reads body bytes from the socket into {@code dst}, never past the body's end (what follows it
   * belongs to the next response): bytes read, {@link #NEED_INPUT} when the socket has none now,
   * 0 when this body's framing does not allow it (chunked) or the stream ended (the decoder was
   * told: the caller's loop then completes or reports the truncation).
   */
  private static int readDirect(BodyDecoder decoder, Connection conn, ByteBuffer dst)
      throws ProtocolViolation, IOException {
    long allowed = decoder.closeDelimited() ? Long.MAX_VALUE : decoder.remaining();
    if (allowed <= 0) {
      return 0; // chunked (-1): framing is interleaved, read through the connection's buffer
    }
    int limit = dst.limit();
    dst.limit(dst.position() + (int) Math.min(allowed, dst.remaining()));
    int n;
    try {
      n = conn.transport().tryRead(dst);
    } finally {
      dst.limit(limit);
    }
    if (n > 0) {
      decoder.consumed(n);
      return n;
    }
    if (n < 0) {
      decoder.endOfInput();
      return 0;
    }
    return NEED_INPUT;
  }

  /** Discards the body bytes already buffered; returns how many. */
  static long skipBuffered(BodyDecoder decoder, ByteBuffer in) throws ProtocolViolation {
    long skipped = 0;
    int n;
    while ((n = decoder.available(in)) > 0) {
      in.position(in.position() + n);
      decoder.consumed(n);
      skipped += n;
    }
    return skipped;
  }
}
