package dev.telltale.internal.http1;

import static dev.telltale.internal.http1.ResponseReader.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 §6.3, end to end: head bytes in, the right amount of body out. */
class Http1FramingTest {
  private static final String NEXT = crlf("HTTP/1.1 200 OK", "Content-Length: 0", "", "");

  private final ResponseReader reader = new ResponseReader();

  @Test
  void contentLengthBodyStopsAtItsLength() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(crlf("HTTP/1.1 200 OK", "Content-Length: 11", "", "hello world") + NEXT);
    assertEquals("hello world", r.body());
    assertEquals(NEXT, r.leftover());
    assertFalse(r.decoder.closeDelimited());
    assertEquals(0, r.decoder.remaining());
  }

  @Test
  void zeroContentLengthIsCompleteRightAfterTheHead() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(crlf("HTTP/1.1 200 OK", "Content-Length: 0", "", "") + NEXT);
    assertEquals("", r.body());
    assertEquals(NEXT, r.leftover());
  }

  @ParameterizedTest
  @CsvSource({"HEAD, 200", "GET, 204", "GET, 304", "POST, 304", "HEAD, 404"})
  void bodilessResponsesIgnoreTheirContentLength(String method, int status) throws Exception {
    ResponseReader.Result r =
        reader
            .method(method)
            .readAllWays(crlf("HTTP/1.1 " + status + " X", "Content-Length: 42", "", "") + NEXT);
    assertSame(BodyDecoder.NONE, r.decoder);
    assertEquals("", r.body());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void headResponseIgnoresTransferEncodingToo() throws Exception {
    ResponseReader.Result r =
        reader
            .method("HEAD")
            .readAllWays(crlf("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "", "") + NEXT);
    assertSame(BodyDecoder.NONE, r.decoder);
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void successfulConnectHasNoBody() throws Exception {
    ResponseReader.Result r =
        reader
            .method("CONNECT")
            .readAllWays(
                crlf("HTTP/1.1 200 Connection Established", "", "") + "\u0016\u0003\u0001tls");
    assertSame(BodyDecoder.NONE, r.decoder);
    assertEquals("\u0016\u0003\u0001tls", r.leftover());
  }

  @Test
  void failedConnectHasABody() throws Exception {
    ResponseReader.Result r =
        reader
            .method("CONNECT")
            .readAllWays(crlf("HTTP/1.1 407 Proxy Auth", "Content-Length: 4", "", "deny"));
    assertEquals("deny", r.body());
  }

  @Test
  void bodyWithoutLengthRunsUntilClose() throws Exception {
    ResponseReader.Result r =
        reader.eof().readAllWays(crlf("HTTP/1.0 200 OK", "", "everything until EOF\r\n\r\n"));
    assertInstanceOf(UntilCloseBodyDecoder.class, r.decoder);
    assertEquals("everything until EOF\r\n\r\n", r.body());
    assertTrue(r.decoder.isComplete());
    assertTrue(r.decoder.closeDelimited());
    assertEquals(-1, r.decoder.remaining());
  }

  @Test
  void transferEncodingWithoutFinalChunkedRunsUntilClose() throws Exception {
    ResponseReader.Result r =
        reader.eof().readAllWays(crlf("HTTP/1.1 200 OK", "Transfer-Encoding: gzip", "", "zz"));
    assertInstanceOf(UntilCloseBodyDecoder.class, r.decoder);
    assertEquals("zz", r.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chunked",
        "CHUNKED",
        "gzip, chunked",
        "gzip,chunked ",
        " , chunked,",
        "x;q=1, Chunked"
      })
  void finalChunkedCodingSelectsChunked(String codings) throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(
            crlf("HTTP/1.1 200 OK", "Transfer-Encoding: " + codings, "", "3", "abc", "0", "", "")
                + NEXT);
    assertInstanceOf(ChunkedBodyDecoder.class, r.decoder);
    assertEquals("abc", r.body());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void codingsSpreadOverFieldsAreReadInOrder() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(
            crlf(
                "HTTP/1.1 200 OK",
                "Transfer-Encoding: gzip",
                "Transfer-Encoding: chunked",
                "",
                "1",
                "z",
                "0",
                "",
                ""));
    assertEquals("z", r.body());
  }

  @Test
  void multipleIdenticalContentLengthsCountAsOne() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(
            crlf("HTTP/1.1 200 OK", "Content-Length: 3, 3", "content-length: 003", "", "abcdef"));
    assertEquals("abc", r.body());
    assertEquals("def", r.leftover());
  }

  @Test
  void largestContentLengthFitsInALong() throws Exception {
    ResponseHead head =
        parse(crlf("HTTP/1.1 200 OK", "Content-Length: 999999999999999999", "", ""));
    assertEquals(999_999_999_999_999_999L, Http1Framing.decoderFor("GET", head).remaining());
  }

  @Test
  void transferEncodingWithContentLengthIsMalformed() {
    assertViolation(
        crlf(
            "HTTP/1.1 200 OK",
            "Content-Length: 3",
            "Transfer-Encoding: chunked",
            "",
            "3",
            "abc",
            "0",
            "",
            ""),
        Kind.MALFORMED,
        "both Transfer-Encoding and Content-Length");
  }

  @Test
  void transferEncodingInHttp10IsMalformed() {
    assertViolation(
        crlf("HTTP/1.0 200 OK", "Transfer-Encoding: chunked", "", "0", "", ""),
        Kind.MALFORMED,
        "Transfer-Encoding in an HTTP/1.0 response");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked, gzip", "chunked, identity"})
  void chunkedBeforeAnotherCodingIsMalformed(String codings) {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Transfer-Encoding: " + codings, "", ""),
        Kind.MALFORMED,
        "chunked is not the final transfer coding");
  }

  @Test
  void chunkedTwiceIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked", "", ""),
        Kind.MALFORMED,
        "chunked transfer coding applied more than once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 3, 4", "Content-Length: 3\r\nContent-Length: 4"})
  void conflictingContentLengthIsMalformed(String fields) {
    assertViolation(
        crlf("HTTP/1.1 200 OK", fields, "", "abcd"),
        Kind.MALFORMED,
        "conflicting Content-Length values");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1 2", "+5", "0x10", "5.0", "1e3", "five", ",", "3,", "", "\u00b3"})
  void invalidContentLengthIsMalformed(String value) {
    ProtocolViolation e =
        assertViolation(
            crlf("HTTP/1.1 200 OK", "Content-Length: " + value, "", ""),
            Kind.MALFORMED,
            "invalid Content-Length");
    assertFalse(!value.isEmpty() && e.getMessage().contains(value), "message echoes the value");
  }

  @Test
  void contentLengthOfNineteenDigitsIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Content-Length: 1000000000000000000", "", ""),
        Kind.MALFORMED,
        "invalid Content-Length: 19 characters, at most 18 digits");
  }

  @Test
  void truncatedFixedLengthBodyFailsAtEndOfInput() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Content-Length: 20", "", "0123456789"),
        Kind.TRUNCATED,
        "response body truncated: 10 of 20 bytes",
        true);
  }

  @Test
  void truncatedChunkedBodyFailsAtEndOfInput() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "", "5", "hello", ""),
        Kind.TRUNCATED,
        "chunked body truncated before the last chunk",
        true);
  }

  @Test
  void completeFixedLengthBodyIgnoresEndOfInput() throws Exception {
    ResponseReader.Result r =
        reader.eof().readAllWays(crlf("HTTP/1.1 200 OK", "Content-Length: 2", "", "ok"));
    assertTrue(r.decoder.isComplete());
  }

  private ProtocolViolation assertViolation(String wire, Kind kind, String message) {
    return assertViolation(wire, kind, message, false);
  }

  private ProtocolViolation assertViolation(String wire, Kind kind, String message, boolean eof) {
    reader.eof = eof;
    ProtocolViolation e = reader.failAllWays(wire);
    assertSame(kind, e.kind());
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
    return e;
  }

  private static ResponseHead parse(String head) throws ProtocolViolation {
    return new Http1ResponseParser(1024, 16)
        .parseHead(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
