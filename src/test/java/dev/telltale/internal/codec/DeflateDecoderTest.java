package dev.telltale.internal.codec;

import static dev.telltale.internal.codec.CodecFixtures.concat;
import static dev.telltale.internal.codec.CodecFixtures.decode;
import static dev.telltale.internal.codec.CodecFixtures.deflate;
import static dev.telltale.internal.codec.CodecFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeflateDecoderTest {
  private static final byte[] DATA = text(50_000);

  @Test
  void zlibWrapped() throws Exception {
    assertArrayEquals(DATA, decode(new DeflateDecoder(), deflate(DATA, false), 4096, 4096));
  }

  @Test
  void rawDeflateIsToleratedAsBrowsersDo() throws Exception {
    assertArrayEquals(DATA, decode(new DeflateDecoder(), deflate(DATA, true), 4096, 4096));
  }

  @Test
  void oneByteAtATimeBothForms() throws Exception {
    assertArrayEquals(DATA, decode(new DeflateDecoder(), deflate(DATA, false), 1, 5));
    assertArrayEquals(DATA, decode(new DeflateDecoder(), deflate(DATA, true), 1, 5));
  }

  @Test
  void splitAtEveryPoint() throws Exception {
    byte[] small = text(400);
    for (boolean raw : new boolean[] {false, true}) {
      byte[] encoded = deflate(small, raw);
      for (int step = 1; step <= encoded.length; step++) {
        assertArrayEquals(small, decode(new DeflateDecoder(), encoded, step, 1 + step % 97),
            "raw " + raw + " step " + step);
      }
    }
  }

  @Test
  void zlibHeaderDetection() {
    assertTrue(DeflateDecoder.isZlibHeader(0x78, 0x9c));
    assertTrue(DeflateDecoder.isZlibHeader(0x78, 0x01));
    assertTrue(DeflateDecoder.isZlibHeader(0x78, 0xda));
    assertFalse(DeflateDecoder.isZlibHeader(0x78, 0x9d), "check bits wrong");
    assertFalse(DeflateDecoder.isZlibHeader(0x89, 0x9c), "window too large");
  }

  @Test
  void adlerMismatchIsRejected() {
    byte[] body = deflate(DATA, false);
    body[body.length - 1] ^= 1;
    assertThrows(ProtocolViolation.class, () -> decode(new DeflateDecoder(), body, 4096, 4096));
  }

  @Test
  void truncatedStreamIsRejected() {
    byte[] body = Arrays.copyOf(deflate(DATA, false), 100);
    assertEquals("deflate stream truncated: the body ended before the stream did", assertThrows(
        ProtocolViolation.class, () -> decode(new DeflateDecoder(), body, 4096, 4096)).getMessage());
    byte[] oneByte = {0x78};
    assertThrows(ProtocolViolation.class, () -> decode(new DeflateDecoder(), oneByte, 1, 1));
  }

  @Test
  void dataAfterTheStreamIsRejected() {
    byte[] body = concat(deflate(DATA, false), new byte[] {1});
    assertEquals("data after the end of the deflate stream", assertThrows(ProtocolViolation.class,
        () -> decode(new DeflateDecoder(), body, 4096, 4096)).getMessage());
  }

  @Test
  void emptyBodyIsEmpty() throws Exception {
    assertArrayEquals(new byte[0], decode(new DeflateDecoder(), new byte[0], 1, 1));
  }

  @Test
  void codingSelection() {
    assertInstanceOf(GzipDecoder.class, ContentDecoder.forEncoding(" GZIP ", true, false));
    assertInstanceOf(GzipDecoder.class, ContentDecoder.forEncoding("x-gzip", true, false));
    assertInstanceOf(DeflateDecoder.class, ContentDecoder.forEncoding("deflate", false, true));
    assertNull(ContentDecoder.forEncoding("gzip", false, true), "gzip not enabled");
    assertNull(ContentDecoder.forEncoding("br", true, true));
    assertInstanceOf(StackedDecoder.class, ContentDecoder.forEncoding("gzip, deflate", true, true));
    assertNull(ContentDecoder.forEncoding("gzip, deflate", true, false), "deflate not enabled: none undone");
    assertNull(ContentDecoder.forEncoding("gzip, gzip, gzip, gzip", true, true), "deeper than 3: as received");
    assertNull(ContentDecoder.forEncoding(null, true, true));
  }
}
