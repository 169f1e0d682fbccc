package dev.telltale.internal.http1;

import java.nio.ByteBuffer;

/**
 * Frames request body bytes in the chunked transfer coding (RFC 9112 §7.1) for a gathering write:
 * the data buffer itself is never copied, only surrounded by a small size line and a CRLF.
 */
public final class ChunkedBodyEncoder {
  private static final ByteBuffer CRLF = readOnly("\r\n");
  private static final ByteBuffer LAST_CHUNK = readOnly("0\r\n\r\n");
  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  private ChunkedBodyEncoder() {}

  /**
   * Returns {header, data, CRLF} for one chunk holding {@code data}'s remaining bytes, or no
   * buffers at all if there are none: an empty chunk would be read as the last one and end the
   * body.
   */
  public static ByteBuffer[] frame(ByteBuffer data) {
    if (!data.hasRemaining()) {
      return new ByteBuffer[0];
    }
    return new ByteBuffer[] {chunkHeader(data.remaining()), data, crlf()};
  }

  /** Returns the chunk-size line for a chunk of {@code length} bytes, e.g. {@code "1a\r\n"}. */
  public static ByteBuffer chunkHeader(int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("chunk length must be positive: " + length);
    }
    int digits = (35 - Integer.numberOfLeadingZeros(length)) / 4;
    ByteBuffer out = ByteBuffer.allocate(digits + 2);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.put(HEX[(length >>> shift) & 0xF]);
    }
    return out.put((byte) '\r').put((byte) '\n').flip();
  }

  /** Returns the CRLF that ends chunk data, a fresh view of a shared read-only buffer. */
  public static ByteBuffer crlf() {
    return CRLF.duplicate();
  }

  /** Returns {@code "0\r\n\r\n"}: the last chunk with no trailers, a fresh read-only view. */
  public static ByteBuffer lastChunk() {
    return LAST_CHUNK.duplicate();
  }

  private static ByteBuffer readOnly(String s) {
    ByteBuffer b = ByteBuffer.allocate(s.length());
    for (int i = 0; i < s.length(); i++) {
      b.put((byte) s.charAt(i));
    }
    return b.flip().asReadOnlyBuffer();
  }
}
