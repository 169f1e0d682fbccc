package dev.telltale.internal.http1;

import static dev.telltale.internal.http1.ResponseReader.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head limits of {@link Http1ResponseParser}: each one below, at and one above. */
class Http1ResponseHeadLimitsTest {
  private final ResponseReader reader = new ResponseReader();

  @Test
  void headOfExactlyTheByteLimitPasses() throws Exception {
    String head = crlf("HTTP/1.1 200 OK", "X-Pad: 0123456789", "Content-Length: 2", "", "");
    reader.maxHeaderBytes = head.length();
    ResponseReader.Result r = reader.readAllWays(head + "hi");
    assertEquals(head.length(), r.head().headerBytes());
    assertEquals("hi", r.body());
  }

  @Test
  void headBelowTheByteLimitPasses() throws Exception {
    String head = crlf("HTTP/1.1 200 OK", "X-Pad: 0123456789", "Content-Length: 2", "", "");
    reader.maxHeaderBytes = head.length() + 1;
    assertEquals("hi", reader.readAllWays(head + "hi").body());
  }

  @Test
  void headOneByteOverTheByteLimitOverflows() {
    String head = crlf("HTTP/1.1 200 OK", "X-Pad: 0123456789", "Content-Length: 2", "", "");
    reader.maxHeaderBytes = head.length() - 1;
    assertViolation(
        head + "hi",
        Kind.HEADER_SIZE_OVERFLOW,
        "response header block exceeds " + (head.length() - 1) + " bytes");
  }

  @Test
  void neverEndingHeadIsStoppedAtTheLimit() throws Exception {
    Http1ResponseParser parser = new Http1ResponseParser(1000, 10);
    assertNull(parser.parseHead(ascii("HTTP/1.1 200 OK\r\nX: ")));
    ByteBuffer endless = ByteBuffer.allocate(1 << 20);
    while (endless.hasRemaining()) {
      endless.put((byte) 'a');
    }
    endless.flip();
    ProtocolViolation e = assertThrows(ProtocolViolation.class, () -> parser.parseHead(endless));
    assertEquals(Kind.HEADER_SIZE_OVERFLOW, e.kind());
  }

  @Test
  void fieldCountAtTheLimitPasses() throws Exception {
    reader.maxHeaderCount = 3;
    assertEquals(3, reader.readAllWays(threeFields()).head().fieldCount());
  }

  @Test
  void fieldCountBelowTheLimitPasses() throws Exception {
    reader.maxHeaderCount = 4;
    assertEquals(3, reader.readAllWays(threeFields()).head().fieldCount());
  }

  @Test
  void fieldCountOverTheLimitIsExceeded() {
    reader.maxHeaderCount = 2;
    assertViolation(
        threeFields(), Kind.HEADER_COUNT_EXCEEDED, "response has more than 2 header fields");
  }

  @Test
  void foldedLinesDoNotCountAsFields() throws Exception {
    reader.maxHeaderCount = 1;
    ResponseHead h =
        reader.readAllWays(crlf("HTTP/1.1 200 OK", "Content-Length: 0", " ", "  ", "", "")).head();
    assertEquals(List.of("0"), h.fieldValues());
  }

  private static String threeFields() {
    return crlf("HTTP/1.1 200 OK", "A: 1", "B: 2", "Content-Length: 0", "", "");
  }

  private void assertViolation(String wire, Kind kind, String message) {
    ProtocolViolation e = reader.failAllWays(wire);
    assertSame(kind, e.kind());
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
