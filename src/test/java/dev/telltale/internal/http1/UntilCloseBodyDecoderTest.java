package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The close-delimited decoder and {@link BodyDecoder#NONE}, in isolation. */
class UntilCloseBodyDecoderTest {
  @Test
  void everythingIsBodyUntilEndOfInput() {
    UntilCloseBodyDecoder decoder = new UntilCloseBodyDecoder();
    ByteBuffer src = ByteBuffer.allocate(7);
    assertEquals(7, decoder.available(src));
    src.position(7);
    decoder.consumed(7);
    assertFalse(decoder.isComplete());
    assertEquals(-1, decoder.remaining());
    assertTrue(decoder.closeDelimited());
    decoder.endOfInput();
    assertTrue(decoder.isComplete());
    assertEquals(0, decoder.available(ByteBuffer.allocate(3)));
  }

  @Test
  void noBodyIsCompleteFromTheStart() throws Exception {
    BodyDecoder none = BodyDecoder.NONE;
    ByteBuffer src = ByteBuffer.allocate(5);
    assertTrue(none.isComplete());
    assertEquals(0, none.available(src));
    assertEquals(5, src.remaining());
    assertEquals(0, none.remaining());
    assertFalse(none.closeDelimited());
    none.endOfInput();
    none.consumed(0);
    assertThrows(IllegalArgumentException.class, () -> none.consumed(1));
  }
}
