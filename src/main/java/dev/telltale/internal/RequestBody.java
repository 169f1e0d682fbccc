package dev.telltale.internal;

import dev.telltale.internal.http1.ChunkedBodyEncoder;
import java.nio.ByteBuffer;

/**
 * The request body of one send: the optional part given to sendRequest, the declared total (or
 * chunked when unknown), what has been written, and whether it may be sent again (a redirect or a
 * retry can resend only a body the library holds whole). Frames bytes for the wire; never copies.
 */
final class RequestBody {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final ByteBuffer[] NOTHING = new ByteBuffer[0];

  private final ByteBuffer optional;
  private final long total;
  private final boolean expectContinue;
  private long written;
  private boolean withheld;

  /** {@code total} -1 means unknown (chunked); otherwise at least {@code optional}'s size. */
  RequestBody(ByteBuffer optional, long total, boolean expectContinue) {
    this.optional = optional == null ? EMPTY : optional;
    this.total = total;
    this.expectContinue = expectContinue && total != 0;
  }

  static RequestBody none() {
    return new RequestBody(EMPTY, 0, false);
  }

  boolean chunked() {
    return total < 0;
  }

  /** The Content-Length to declare, or -1 for chunked. */
  long declaredLength() {
    return total < 0 ? -1 : Math.max(total, optional.remaining());
  }

  /** Part of the body arrives through writeData, so it cannot be sent a second time. */
  boolean streamed() {
    return total < 0 || total > optional.remaining();
  }

  /** Whether the head goes alone first, waiting for 100 Continue before the body. */
  boolean waitsForContinue() {
    return expectContinue && optional.hasRemaining();
  }

  /** The optional part, framed (chunked when the length is unknown); counts it as written. */
  ByteBuffer[] optionalPart() {
    if (!optional.hasRemaining()) {
      written = 0;
      withheld = false;
      return NOTHING; // no duplicate of an empty buffer for the GET that has no body
    }
    ByteBuffer part = optional.duplicate();
    written = part.remaining();
    withheld = false;
    return total < 0 ? ChunkedBodyEncoder.frame(part) : new ByteBuffer[] {part};
  }

  /** Bytes of the optional part. */
  int optionalBytes() {
    return optional.remaining();
  }

  /** Why writeData of {@code n} bytes is not allowed, or null if it is. */
  String refuseWrite(int n) {
    if (total >= 0 && written + n > total) {
      return "writeData of " + n + " bytes exceeds the declared total length " + total + " ("
          + written + " sent)";
    }
    return null;
  }

  /** {@code src} framed for the wire. */
  ByteBuffer[] frame(ByteBuffer src) {
    return total < 0 ? ChunkedBodyEncoder.frame(src) : new ByteBuffer[] {src};
  }

  void wrote(int n) {
    written += n;
  }

  /** A final response came before 100 Continue: the body is not sent at all. */
  void withhold() {
    withheld = true;
  }

  boolean withheld() {
    return withheld;
  }

  /** Whether more body is due through writeData (or the end of a chunked upload). */
  boolean moreExpected() {
    return !withheld && (total < 0 || written < total);
  }
}
