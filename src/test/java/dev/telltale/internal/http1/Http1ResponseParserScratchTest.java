package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A head that arrives whole is assembled in the thread's scratch array; one split across calls
 * must keep its bytes when, in between, the same thread parses another connection's head.
 */
class Http1ResponseParserScratchTest {
  @Test
  void aHeadSplitAcrossCallsSurvivesAnotherParserUsingTheThreadsScratchInBetween() throws Exception {
    byte[] a = "HTTP/1.1 200 OK\r\nX-A: first\r\nContent-Length: 0\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = "HTTP/1.1 404 Not Found\r\nX-B: second-parser-overwrites-scratch\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    for (int split = 1; split < a.length; split++) {
      Http1ResponseParser first = new Http1ResponseParser(1024, 16);
      Http1ResponseParser second = new Http1ResponseParser(1024, 16);
      assertEquals(null, first.parseHead(ByteBuffer.wrap(a, 0, split)));
      ResponseHead other = second.parseHead(ByteBuffer.wrap(b));
      assertEquals(404, other.statusCode());
      ResponseHead head = first.parseHead(ByteBuffer.wrap(a, split, a.length - split));
      assertEquals(new String(a, StandardCharsets.ISO_8859_1), head.raw(), "split at " + split);
      assertEquals("first", head.fieldValue(0));
    }
  }
}
