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
        ByteBuffer slice = in.slice();
        slice.limit(take);
        dst.put(slice);
        in.position(in.position() + take);
        decoder.consumed(take);
        decoder.available(in);
        return take;
      }
      if (decoder.isComplete()) {
        break;
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
