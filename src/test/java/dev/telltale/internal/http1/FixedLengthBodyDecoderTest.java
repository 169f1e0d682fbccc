package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The decoder contract in isolation; end-to-end cases are in {@link Http1FramingTest}. */
class FixedLengthBodyDecoderTest {
  @Test
  void availableIsCappedByTheBufferAndTheBody() {
    FixedLengthBodyDecoder decoder = new FixedLengthBodyDecoder(5);
    ByteBuffer src = ByteBuffer.wrap(new byte[8]);
    src.limit(3);
    assertEquals(3, decoder.available(src));
    src.position(3);
    decoder.consumed(3);
    assertEquals(2, decoder.remaining());
    src.limit(8);
    assertEquals(2, decoder.available(src));
    assertEquals(3, src.position(), "available never moves the position of an unframed body");
    src.position(5);
    decoder.consumed(2);
    assertTrue(decoder.isComplete());
    assertEquals(0, decoder.available(src));
    assertEquals(3, src.remaining(), "bytes after the body are not touched");
  }

  @Test
  void bodyLongerThanAnIntIsReportedInIntSizedPieces() {
    FixedLengthBodyDecoder decoder = new FixedLengthBodyDecoder(1L << 40);
    assertEquals(16, decoder.available(ByteBuffer.allocate(16)));
    assertEquals(1L << 40, decoder.remaining());
  }

  @Test
  void consumingMoreThanRemainsIsRejected() {
    FixedLengthBodyDecoder decoder = new FixedLengthBodyDecoder(2);
    assertThrows(IllegalArgumentException.class, () -> decoder.consumed(3));
    assertThrows(IllegalArgumentException.class, () -> decoder.consumed(-1));
    assertThrows(IllegalArgumentException.class, () -> new FixedLengthBodyDecoder(-1));
  }

  @Test
  void endOfInputBeforeTheEndIsTruncated() {
    FixedLengthBodyDecoder decoder = new FixedLengthBodyDecoder(20);
    decoder.consumed(10);
    ProtocolViolation e = assertThrows(ProtocolViolation.class, decoder::endOfInput);
    assertSame(ProtocolViolation.Kind.TRUNCATED, e.kind());
    assertEquals("response body truncated: 10 of 20 bytes", e.getMessage());
  }

  @Test
  void emptyBodyIsCompleteAtOnce() throws Exception {
    FixedLengthBodyDecoder decoder = new FixedLengthBodyDecoder(0);
    assertTrue(decoder.isComplete());
    decoder.endOfInput();
    assertFalse(decoder.closeDelimited());
  }
}
