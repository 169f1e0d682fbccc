package dev.telltale.internal.http1;

import java.nio.ByteBuffer;

/**
 * A body delimited by {@code Content-Length} (RFC 9112 §6.3 item 6): exactly {@code length} bytes,
 * no framing, so {@link #available} is plain arithmetic and the bytes are never touched.
 */
public final class FixedLengthBodyDecoder implements BodyDecoder {
  private final long length;
  private long remaining;

  /** Creates a decoder for a body of exactly {@code length} bytes. */
  public FixedLengthBodyDecoder(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative body length: " + length);
    }
    this.length = length;
    this.remaining = length;
  }

  @Override
  public int available(ByteBuffer src) {
    return (int) Math.min(src.remaining(), remaining);
  }

  @Override
  public void consumed(int n) {
    if (n < 0 || n > remaining) {
      throw new IllegalArgumentException("consumed " + n + " bytes, " + remaining + " remain");
    }
    remaining -= n;
  }

  @Override
  public boolean isComplete() {
    return remaining == 0;
  }

  @Override
  public void endOfInput() throws ProtocolViolation {
    if (remaining > 0) {
      throw new ProtocolViolation(
          ProtocolViolation.Kind.TRUNCATED,
          "response body truncated: " + (length - remaining) + " of " + length + " bytes");
    }
  }

  @Override
  public long remaining() {
    return remaining;
  }

  @Override
  public boolean closeDelimited() {
    return false;
  }

  @Override
  public String toString() {
    return "fixed length " + length + ", " + remaining + " remaining";
  }
}
