package dev.telltale.internal.http1;

import static dev.telltale.internal.http1.ResponseReader.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Http1ResponseParserTest {
  private final ResponseReader reader = new ResponseReader();

  @Test
  void simpleOkWithContentLength() throws Exception {
    String head = crlf("HTTP/1.1 200 OK", "Content-Type: text/plain", "Content-Length: 5", "", "");
    ResponseReader.Result r = reader.readAllWays(head + "hello");

    ResponseHead h = r.head();
    assertEquals("HTTP/1.1", h.version());
    assertEquals(200, h.statusCode());
    assertEquals("OK", h.reasonPhrase());
    assertEquals(List.of("Content-Type", "Content-Length"), h.fieldNames());
    assertEquals(List.of("text/plain", "5"), h.fieldValues());
    assertEquals(2, h.fieldCount());
    assertEquals("Content-Length", h.fieldName(1));
    assertEquals("5", h.fieldValue(1));
    assertEquals(head, h.raw());
    assertEquals(head.length(), h.headerBytes());
    assertFalse(h.isInterim());
    assertTrue(h.keepAlive());
    assertEquals("hello", r.body());
    assertEquals("", r.leftover());
  }

  @Test
  void pipelinedResponseAfterBodyIsLeftUntouched() throws Exception {
    String next = crlf("HTTP/1.1 204 No Content", "", "");
    ResponseReader.Result r =
        reader.readAllWays(crlf("HTTP/1.1 200 OK", "Content-Length: 3", "", "abc") + next);
    assertEquals("abc", r.body());
    assertEquals(next, r.leftover());
  }

  @Test
  void missingReasonPhraseIsAccepted() throws Exception {
    ResponseHead h = reader.readAllWays(crlf("HTTP/1.1 200", "Content-Length: 0", "", "")).head();
    assertEquals(200, h.statusCode());
    assertEquals("", h.reasonPhrase());
  }

  @Test
  void emptyReasonPhraseAfterSpaceIsAccepted() throws Exception {
    ResponseHead h = reader.readAllWays(crlf("HTTP/1.1 404 ", "Content-Length: 0", "", "")).head();
    assertEquals(404, h.statusCode());
    assertEquals("", h.reasonPhrase());
  }

  @Test
  void reasonPhraseKeepsInnerWhitespaceAndObsText() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(crlf("HTTP/1.0 599 Not \t Tr\u00e8s Bien", "Content-Length: 0", "", ""))
            .head();
    assertEquals("HTTP/1.0", h.version());
    assertEquals(599, h.statusCode());
    assertEquals("Not \t Tr\u00e8s Bien", h.reasonPhrase());
  }

  @Test
  void fieldValuesAreTrimmedAndNamesKeepTheirCase() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(
                crlf(
                    "HTTP/1.1 200 OK",
                    "X-Padded: \t a  b \t",
                    "x-EMPTY:",
                    "X-Blank:   ",
                    "X-Latin: caf\u00e9",
                    "Content-Length: 0",
                    "",
                    ""))
            .head();
    assertEquals(
        List.of("X-Padded", "x-EMPTY", "X-Blank", "X-Latin", "Content-Length"), h.fieldNames());
    assertEquals(List.of("a  b", "", "", "caf\u00e9", "0"), h.fieldValues());
  }

  @Test
  void lookupsIgnoreCaseAndKeepWireOrder() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(
                crlf(
                    "HTTP/1.1 200 OK",
                    "Set-Cookie: a=1",
                    "Content-Length: 0",
                    "set-cookie: b=2",
                    "",
                    ""))
            .head();
    assertEquals("a=1", h.firstValue("SET-COOKIE"));
    assertEquals(List.of("a=1", "b=2"), h.values("Set-Cookie"));
    assertNull(h.firstValue("Location"));
    assertEquals(List.of(), h.values("Location"));
    assertTrue(h.contains("content-length"));
    assertThrows(UnsupportedOperationException.class, () -> h.fieldNames().add("x"));
  }

  @Test
  void bareLfLineTerminatorsAreAccepted() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays("HTTP/1.1 200 OK\nContent-Length: 2\r\nX-Mixed: y\n\nhi!");
    assertEquals(List.of("2", "y"), r.head().fieldValues());
    assertEquals("hi", r.body());
    assertEquals("!", r.leftover());
  }

  @Test
  void obsFoldIsReplacedWithOneSpace() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(
                crlf(
                    "HTTP/1.1 200 OK",
                    "X-Long: first  ",
                    "   second",
                    "\tthird",
                    "X-Empty:",
                    "  alone",
                    "X-Next: n",
                    "Content-Length: 0",
                    "",
                    ""))
            .head();
    assertEquals(List.of("X-Long", "X-Empty", "X-Next", "Content-Length"), h.fieldNames());
    assertEquals(List.of("first second third", "alone", "n", "0"), h.fieldValues());
  }

  @Test
  void interimResponsesPrecedeTheFinalOne() throws Exception {
    String wire =
        crlf(
            "HTTP/1.1 100 Continue",
            "",
            "HTTP/1.1 103 Early Hints",
            "Link: </style.css>",
            "",
            "HTTP/1.1 200 OK",
            "Content-Length: 2",
            "",
            "ok");
    ResponseReader.Result r = reader.readAllWays(wire);
    assertEquals(3, r.heads.size());
    assertTrue(r.heads.get(0).isInterim());
    assertEquals(103, r.heads.get(1).statusCode());
    assertEquals("</style.css>", r.heads.get(1).firstValue("link"));
    assertEquals(200, r.head().statusCode());
    assertEquals("ok", r.body());
  }

  @Test
  void parserIsReadyForTheNextHeadAfterReturningOne() throws Exception {
    Http1ResponseParser parser = new Http1ResponseParser(1024, 10);
    ByteBuffer src = ascii(crlf("HTTP/1.1 204 A", "X: 1", "", "HTTP/1.0 304 B", "", "HTTP/1.1"));
    assertEquals("A", parser.parseHead(src).reasonPhrase());
    ResponseHead second = parser.parseHead(src);
    assertEquals("B", second.reasonPhrase());
    assertEquals(0, second.fieldCount());
    assertNull(parser.parseHead(src));
    assertFalse(src.hasRemaining());
  }

  @Test
  void resetForgetsAPartialHead() throws Exception {
    Http1ResponseParser parser = new Http1ResponseParser(1024, 10);
    assertNull(parser.parseHead(ascii("HTTP/1.1 500 Half\r\nX-")));
    parser.reset();
    ResponseHead h = parser.parseHead(ascii(crlf("HTTP/1.1 200 OK", "Y: 2", "", "")));
    assertEquals(List.of("Y"), h.fieldNames());
    assertEquals(crlf("HTTP/1.1 200 OK", "Y: 2", "", ""), h.raw());
  }

  @ParameterizedTest
  @CsvSource({
    "HTTP/1.1, , true",
    "HTTP/1.1, close, false",
    "HTTP/1.1, 'Upgrade,  CLOSE ', false",
    "HTTP/1.1, closed, true",
    "HTTP/1.1, keep-alive, true",
    "HTTP/1.0, , false",
    "HTTP/1.0, keep-alive, true",
    "HTTP/1.0, 'foo , Keep-Alive', true",
    "HTTP/1.0, 'keep-alive, close', false",
    "HTTP/1.0, keep-alive-ish, false",
  })
  void keepAliveFollowsVersionAndConnectionTokens(
      String version, String connection, boolean keepAlive) throws Exception {
    String field = connection == null ? "X-None: 1" : "Connection: " + connection;
    ResponseHead h =
        reader.readAllWays(crlf(version + " 200 OK", field, "Content-Length: 0", "", "")).head();
    assertEquals(keepAlive, h.keepAlive());
    assertEquals(!keepAlive, h.connectionClose());
  }

  @Test
  void connectionTokensMayBeSpreadOverSeveralFields() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(
                crlf(
                    "HTTP/1.0 200 OK",
                    "Connection: foo",
                    "connection: keep-alive",
                    "Content-Length: 0",
                    "",
                    ""))
            .head();
    assertTrue(h.keepAlive());
    assertTrue(h.hasToken("Connection", "FOO"));
    assertFalse(h.hasToken("Connection", "fo"));
  }

  // ---- malformed heads ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello world\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\n\r\n",
        "http/1.1 200 OK\r\n",
        " HTTP/1.1 200 OK\r\n",
        "HTTP\r\n"
      })
  void responseWithoutStatusLineIsMalformed(String wire) {
    assertViolation(wire, Kind.MALFORMED, "response does not start with HTTP/");
  }

  @Test
  void bodyWithoutStatusLineFailsWithoutWaitingForALineEnd() {
    Http1ResponseParser parser = new Http1ResponseParser(1024, 10);
    ProtocolViolation e =
        assertThrows(ProtocolViolation.class, () -> parser.parseHead(ascii("<html>no line end")));
    assertEquals("response does not start with HTTP/", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/2.0 200 OK", "HTTP/1.2 200 OK", "HTTP/0.9 200 OK", "HTTP/3.1 200"})
  void unsupportedVersionIsMalformed(String statusLine) {
    assertViolation(
        crlf(statusLine, "", ""),
        Kind.MALFORMED,
        "unsupported HTTP version: expected HTTP/1.0 or HTTP/1.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1x 200 OK",
        "HTTP/1.1",
        "HTTP/11 200 OK",
        "HTTP/1.1\t200 OK",
        "HTTP/ 200 OK",
        "HTTP/1.10 200 OK"
      })
  void malformedVersionIsMalformed(String statusLine) {
    assertViolation(crlf(statusLine, "", ""), Kind.MALFORMED, "malformed HTTP version");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 2000 OK",
        "HTTP/1.1 20 OK",
        "HTTP/1.1 abc OK",
        "HTTP/1.1 099 X",
        "HTTP/1.1 ",
        "HTTP/1.1 20",
        "HTTP/1.1  200 OK",
        "HTTP/1.1 200OK",
        "HTTP/1.1 -20 OK"
      })
  void invalidStatusCodeIsMalformed(String statusLine) {
    assertViolation(crlf(statusLine, "", ""), Kind.MALFORMED, "invalid status code");
  }

  @Test
  void whitespaceBetweenFieldNameAndColonIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Content-Length : 5", "", "hello"),
        Kind.MALFORMED,
        "whitespace between header field name and colon");
  }

  @Test
  void fieldLineWithoutColonIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "Content-Length 5", "", ""),
        Kind.MALFORMED,
        "header field line without colon");
  }

  @Test
  void invalidCharacterInFieldNameIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "X(y): 5", "", ""),
        Kind.MALFORMED,
        "invalid character in header field name at offset 1");
  }

  @Test
  void emptyFieldNameIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", ": 5", "", ""), Kind.MALFORMED, "empty header field name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Secret: a\rb", "X-Secret: ab\r", "X-Secret: a\r\rb"})
  void bareCrInFieldLineIsMalformed(String field) {
    ProtocolViolation e =
        assertViolation(
            crlf("HTTP/1.1 200 OK", field, "", ""), Kind.MALFORMED, "bare CR in header line");
    assertFalse(e.getMessage().contains("ab"), "message must not echo the value");
  }

  @Test
  void bareCrInStatusLineIsMalformed() {
    assertViolation(crlf("HTTP/1.1 200 O\rK", "", ""), Kind.MALFORMED, "bare CR in status line");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0001", "\u001f", "\u007f", "\u000b"})
  void controlCharacterInFieldValueIsMalformed(String control) {
    assertViolation(
        crlf("HTTP/1.1 200 OK", "X: a" + control + "b", "", ""),
        Kind.MALFORMED,
        "control character in header field value");
  }

  @Test
  void controlCharacterInReasonPhraseIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 O\u0000K", "", ""),
        Kind.MALFORMED,
        "control character in reason phrase");
  }

  @Test
  void whitespaceBeforeTheFirstFieldLineIsMalformed() {
    assertViolation(
        crlf("HTTP/1.1 200 OK", " X: 1", "", ""),
        Kind.MALFORMED,
        "whitespace before the first header field line");
  }

  @Test
  void toStringDoesNotRevealFieldValues() throws Exception {
    ResponseHead h =
        reader
            .readAllWays(crlf("HTTP/1.1 200 OK", "Set-Cookie: secret", "Content-Length: 0", "", ""))
            .head();
    assertEquals("HTTP/1.1 200 (2 fields)", h.toString());
  }

  private ProtocolViolation assertViolation(String wire, Kind kind, String message) {
    ProtocolViolation e = reader.failAllWays(wire);
    assertSame(kind, e.kind());
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
    return e;
  }

  static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
