package dev.telltale.internal;

import dev.telltale.internal.codec.ContentDecoder;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ProtocolViolation;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link BodyPump} for a content-coded body (Option.DECOMPRESSION): the framing decoder finds the
 * encoded bytes in the connection's buffer, the {@link ContentDecoder} turns them into the bytes
 * the application reads, straight into its buffer. Only queryDataAvailable needs a buffer of its
 * own (8 KiB, allocated on first use): it must say how many decoded bytes are ready, which means
 * decoding them, and readData then hands those out first.
 *
 * <p>Expansion is bounded as it happens: after each step the decoded total is checked against
 * MAX_DECOMPRESSED_SIZE, and once past 1 MiB against MAX_DECOMPRESSION_RATIO times the encoded
 * bytes, so a bomb fails after at most one buffer's worth beyond the limit, and nothing is
 * allocated for it.
 */
final class DecodingPump {
  /** Decoded bytes allowed before the ratio applies: small bodies compress far beyond any ratio. */
  static final long RATIO_GRACE = 1 << 20;
  private static final int PENDING_SIZE = 8192;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ContentDecoder content;
  private final long maxSize;
  private final int maxRatio;
  private ByteBuffer pending;
  private long encoded;
  private long decoded;
  private boolean done;

  DecodingPump(ContentDecoder content, long maxSize, int maxRatio) {
    this.content = content;
    this.maxSize = maxSize;
    this.maxRatio = maxRatio;
  }

  /** Whether the application has read the whole decoded body. */
  boolean isComplete() {
    return done && (pending == null || !pending.hasRemaining());
  }

  /**
   * As {@link BodyPump#pump}, counting decoded bytes: with {@code dst} null, the decoded bytes
   * ready now; else the decoded bytes copied into {@code dst}. 0 at the end of the body;
   * {@link BodyPump#NEED_INPUT} when the socket has nothing yet. {@code conn} is touched only
   * while the framing needs input.
   */
  int pump(BodyDecoder framing, Connection conn, ByteBuffer dst) throws ProtocolViolation, IOException {
    if (pending != null && pending.hasRemaining()) {
      return dst == null ? pending.remaining() : copyPending(dst);
    }
    if (dst != null) {
      return decodeInto(framing, conn, dst);
    }
    if (pending == null) {
      pending = ByteBuffer.allocate(PENDING_SIZE);
    }
    pending.clear();
    int n = decodeInto(framing, conn, pending);
    pending.flip();
    return n;
  }

  private int copyPending(ByteBuffer dst) {
    int take = Math.min(pending.remaining(), dst.remaining());
    ByteBuffer slice = pending.slice();
    slice.limit(take);
    dst.put(slice);
    pending.position(pending.position() + take);
    return take;
  }

  private int decodeInto(BodyDecoder framing, Connection conn, ByteBuffer out)
      throws ProtocolViolation, IOException {
    while (!done) {
      if (content.outputPending()) {
        int n = decode(EMPTY, out);
        if (n > 0) {
          return n;
        }
      }
      if (framing.isComplete()) {
        content.endOfBody();
        done = true;
        content.release();
        break;
      }
      ByteBuffer in = conn.in();
      int available = framing.available(in);
      if (available > 0) {
        ByteBuffer slice = in.slice();
        slice.limit(available);
        int n = decode(slice, out);
        in.position(in.position() + slice.position());
        framing.consumed(slice.position());
        framing.available(in); // steps over framing after the data: completion shows at once
        if (n > 0) {
          return n;
        }
        continue;
      }
      if (framing.isComplete()) {
        continue;
      }
      int read = conn.fill();
      if (read < 0) {
        framing.endOfInput();
      } else if (read == 0) {
        return BodyPump.NEED_INPUT;
      }
    }
    return 0;
  }

  private int decode(ByteBuffer in, ByteBuffer out) throws ProtocolViolation {
    int before = in.position();
    int n = content.decode(in, out);
    encoded += in.position() - before;
    decoded += n;
    if (decoded > maxSize) {
      throw limit("the decoded body exceeds MAX_DECOMPRESSED_SIZE (" + maxSize + " bytes)");
    }
    if (decoded > RATIO_GRACE && decoded / maxRatio > encoded) {
      throw limit("the body expands more than MAX_DECOMPRESSION_RATIO (" + maxRatio + ":1): "
          + decoded + " bytes from " + encoded);
    }
    return n;
  }

  private static ProtocolViolation limit(String message) {
    return new ProtocolViolation(ProtocolViolation.Kind.MALFORMED, "decompression bomb refused: " + message);
  }

  /** Frees the inflater (the body was abandoned or failed). */
  void release() {
    content.release();
  }
}
