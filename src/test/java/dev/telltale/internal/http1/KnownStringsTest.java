package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownStringsTest {
  private static byte[] bytes(String s) {
    return ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aKnownWordIsTheSharedConstant() {
    byte[] buf = bytes("Content-Length");
    String first = KnownStrings.of(buf, 2, 14);
    assertEquals("Content-Length", first);
    assertSame(first, KnownStrings.of(bytes("Content-Length"), 2, 14));
  }

  @Test
  void anUnknownWordOrAnotherSpellingIsANewStringOfTheBytesReceived() {
    assertEquals("X-Custom", KnownStrings.of(bytes("X-Custom"), 2, 8));
    String odd = KnownStrings.of(bytes("CONTENT-LENGTH"), 2, 14);
    assertEquals("CONTENT-LENGTH", odd);
    assertNotSame(KnownStrings.of(bytes("Content-Length"), 2, 14), odd);
    assertEquals("Content-Lengt", KnownStrings.of(bytes("Content-Length"), 2, 13));
    assertEquals("", KnownStrings.of(bytes(""), 2, 0));
  }

  @Test
  void aLongValueIsNotLookedUp() {
    String longValue = "a".repeat(100);
    assertEquals(longValue, KnownStrings.of(bytes(longValue), 2, 100));
  }

  @Test
  void parsedHeadsShareTheConstantsAndKeepTheReceivedText() throws Exception {
    Http1ResponseParser parser = new Http1ResponseParser(1024, 16);
    ResponseHead head = parser.parseHead(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
        + "connection: keep-alive\r\nX-Odd: Keep-Alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    assertSame("OK", head.reasonPhrase());
    assertEquals(List.of("Content-Length", "connection", "X-Odd"),
        List.of(head.fieldName(0), head.fieldName(1), head.fieldName(2)));
    assertSame("Content-Length", head.fieldName(0));
    assertEquals("Keep-Alive", head.fieldValue(2));
  }
}
