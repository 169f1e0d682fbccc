package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.zip.Inflater;

/**
 * {@code Content-Encoding: deflate}. RFC 9110 §8.4.1.2 means the zlib format (RFC 1950), but some
 * servers send raw deflate (RFC 1951); like browsers, the first two bytes decide: a valid zlib
 * header (CM 8, a window of at most 32 KiB, header check divisible by 31) is zlib, anything else
 * raw. The zlib trailer's Adler-32 is checked by the inflater. Bytes after the end of the stream
 * are an error.
 */
final class DeflateDecoder implements ContentDecoder {
  private final byte[] head = new byte[2];
  private int headBytes;
  private Inflater inflater;
  private ByteBuffer headInput;
  private boolean outputPending;
  private boolean sawInput;

  @Override
  public int decode(ByteBuffer in, ByteBuffer out) throws ProtocolViolation {
    sawInput |= in.hasRemaining();
    if (inflater == null) {
      while (headBytes < 2 && in.hasRemaining()) {
        head[headBytes++] = in.get();
      }
      if (headBytes < 2) {
        return 0;
      }
      inflater = new Inflater(!isZlibHeader(head[0] & 0xff, head[1] & 0xff));
      headInput = ByteBuffer.wrap(head);
    }
    int n = 0;
    if (headInput.hasRemaining()) {
      // the two bytes read to tell zlib from raw deflate go in first
      n = Inflation.inflate(inflater, headInput, out, "deflate");
      if (headInput.hasRemaining()) {
        outputPending = !out.hasRemaining();
        return n;
      }
    }
    if (!inflater.finished() && out.hasRemaining()) {
      n += Inflation.inflate(inflater, in, out, "deflate");
    }
    outputPending = !out.hasRemaining() && !inflater.finished();
    if (inflater.finished() && in.hasRemaining()) {
      throw Inflation.violation("data after the end of the deflate stream");
    }
    return n;
  }

  static boolean isZlibHeader(int cmf, int flg) {
    return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
  }

  @Override
  public boolean outputPending() {
    return outputPending;
  }

  @Override
  public void endOfBody() throws ProtocolViolation {
    if (sawInput && (inflater == null || !inflater.finished())) {
      throw Inflation.violation("deflate stream truncated: the body ended before the stream did");
    }
  }

  @Override
  public void release() {
    if (inflater != null) {
      inflater.end();
    }
  }
}
