package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;

/**
 * Two content codings applied one after the other ({@code Content-Encoding: deflate, gzip} means
 * deflate first, then gzip, RFC 9110 §8.4), undone in the reverse order: {@code outer} decodes the
 * received bytes into a small buffer of its own, {@code inner} decodes that into the caller's
 * buffer. Deeper stacks nest. The buffer is the only allocation, and only stacked bodies pay it.
 */
final class StackedDecoder implements ContentDecoder {
  private static final int BETWEEN_SIZE = 8192;

  private final ContentDecoder outer;
  private final ContentDecoder inner;
  /** {@code outer}'s output not yet given to {@code inner}, in read mode (position to limit). */
  private final ByteBuffer between = ByteBuffer.allocate(BETWEEN_SIZE).limit(0);

  StackedDecoder(ContentDecoder outer, ContentDecoder inner) {
    this.outer = outer;
    this.inner = inner;
  }

  @Override
  public int decode(ByteBuffer in, ByteBuffer out) throws ProtocolViolation {
    int written = 0;
    while (out.hasRemaining()) {
      if (between.hasRemaining() || inner.outputPending()) {
        // consumes all of `between` unless `out` fills first (the ContentDecoder contract)
        written += inner.decode(between, out);
        if (!out.hasRemaining()) {
          break;
        }
      }
      between.compact();
      int produced = outer.decode(in, between);
      between.flip();
      if (produced == 0 && !between.hasRemaining()) {
        break; // the outer coding needs more of the body
      }
    }
    return written;
  }

  @Override
  public boolean outputPending() {
    return inner.outputPending() || between.hasRemaining() || outer.outputPending();
  }

  @Override
  public void endOfBody() throws ProtocolViolation {
    outer.endOfBody();
    inner.endOfBody();
  }

  @Override
  public void release() {
    try {
      outer.release();
    } finally {
      inner.release();
    }
  }
}
