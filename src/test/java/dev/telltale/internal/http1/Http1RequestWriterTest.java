package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Http1RequestWriterTest {
  @Test
  void getWithHeadersIsEncodedByteForByte() {
    ByteBuffer head =
        Http1RequestWriter.encodeHead(
            "GET",
            "/search?q=a%20b",
            List.of("Host", "example.com:8080", "Accept", "*/*", "X-Latin", "caf\u00e9"));
    assertEquals(0, head.position());
    assertEquals(head.capacity(), head.limit(), "sized exactly");
    assertTrue(head.hasArray());
    assertEquals(
        "GET /search?q=a%20b HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "Accept: */*\r\n"
            + "X-Latin: caf\u00e9\r\n"
            + "\r\n",
        latin1(head));
    assertEquals((byte) 0xE9, head.get(head.limit() - 5));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 7, 9, 10, 80, 443, 8080, 65535})
  void hostFieldWrittenFromItsPartsComesFirstWithThePortInDecimal(int port) {
    ByteBuffer head = Http1RequestWriter.encodeHead("GET", "/", "example.com", port, List.of("Accept", "*/*"));
    assertEquals("GET / HTTP/1.1\r\nHost: example.com:" + port + "\r\nAccept: */*\r\n\r\n", latin1(head));
    assertEquals(head.capacity(), head.limit(), "sized exactly");
  }

  @Test
  void hostFieldWithoutPortForTheDefaultOneAndIpv6LiteralsBracketedByTheCaller() {
    assertEquals("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n",
        latin1(Http1RequestWriter.encodeHead("GET", "/", "[::1]", -1, List.of())));
    assertEquals("GET / HTTP/1.1\r\n\r\n",
        latin1(Http1RequestWriter.encodeHead("GET", "/", null, 8080, List.of())), "no host: no field");
  }

  @Test
  void requestWithoutHeadersEndsWithTheEmptyLine() {
    assertEquals(
        "OPTIONS * HTTP/1.1\r\n\r\n",
        latin1(Http1RequestWriter.encodeHead("OPTIONS", "*", List.of())));
  }

  @Test
  void emptyValueKeepsTheSpaceAfterTheColon() {
    assertEquals(
        "PUT /x HTTP/1.1\r\nX-Empty: \r\n\r\n",
        latin1(Http1RequestWriter.encodeHead("PUT", "/x", List.of("X-Empty", ""))));
  }

  @Test
  void writtenHeadParsesBackAsAFieldList() throws Exception {
    ByteBuffer head =
        Http1RequestWriter.encodeHead("GET", "/", List.of("A", "1", "B", " two words"));
    String asResponse = "HTTP/1.1 200 OK" + latin1(head).substring("GET / HTTP/1.1".length());
    ResponseHead parsed =
        new Http1ResponseParser(1024, 10)
            .parseHead(ByteBuffer.wrap(asResponse.getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(List.of("A", "B"), parsed.fieldNames());
    assertEquals(List.of("1", "two words"), parsed.fieldValues());
  }

  @Test
  void oddHeaderListIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Http1RequestWriter.encodeHead("GET", "/", List.of("Host")));
  }

  @Test
  void charactersBeyondLatin1AreNeverTruncatedIntoControlBytes() {
    // (byte) '\u010A' is 0x0A: truncation would inject a line feed.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Http1RequestWriter.encodeHead("GET", "/", List.of("X", "a\u010Ab")));
    assertEquals("character beyond ISO-8859-1 at index 1", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PATCH", "M-SEARCH", "x!#$%&'*+-.^_`|~9"})
  void tokenMethodsAreValid(String method) {
    Http1RequestWriter.validateMethod(method);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "GET ", "GE T", "GET\r\n", "G\u00c9T", "(GET)", "GET/"})
  void nonTokenMethodsAreRejected(String method) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Http1RequestWriter.validateMethod(method));
    assertTrue(e.getMessage().startsWith("method is"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bad Name", "Name:", "Na\u00efve", "X\r\nY", "\tX", "Ab@c"})
  void nonTokenFieldNamesAreRejected(String name) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Http1RequestWriter.validateFieldName(name));
    assertTrue(e.getMessage().startsWith("header name is"), e.getMessage());
  }

  @Test
  void fieldNameErrorNamesTheIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Http1RequestWriter.validateFieldName("X-Foo Bar"));
    assertEquals("header name is not a token: invalid character at index 5", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "with spaces and\ttab", "caf\u00e9", "\"quoted\";q=0.5"})
  void ordinaryFieldValuesAreValid(String value) {
    Http1RequestWriter.validateFieldValue(value);
  }

  @Test
  void fieldValueWithCrLfOrNulIsRejected() {
    assertEquals("header value contains CR at index 1", valueError("a\rb"));
    assertEquals("header value contains LF at index 2", valueError("ab\nSet-Cookie: x"));
    assertEquals("header value contains NUL at index 0", valueError("\u0000"));
    assertEquals(
        "header value contains a character beyond ISO-8859-1 at index 1", valueError("a\u20acb"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "*", "/a/b?c=d&e=%20#frag", "http://example.com:80/x", "example.com:443"})
  void printableTargetsAreValid(String target) {
    Http1RequestWriter.validateTarget(target);
  }

  @Test
  void targetsThatWouldSplitTheRequestLineAreRejected() {
    assertEquals("request target is empty", targetError(""));
    assertEquals("request target contains a space at index 2", targetError("/a b"));
    assertEquals(
        "request target contains a control character at index 2", targetError("/a\r\nHost: evil"));
    assertEquals("request target contains a control character at index 1", targetError("/\u007f"));
    assertEquals("request target contains non-ASCII at index 1", targetError("/\u00e9"));
  }

  private static String valueError(String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Http1RequestWriter.validateFieldValue(value));
    assertFalse(e.getMessage().contains("Set-Cookie"), "message must not echo the value");
    return e.getMessage();
  }

  private static String targetError(String target) {
    return assertThrows(
            IllegalArgumentException.class, () -> Http1RequestWriter.validateTarget(target))
        .getMessage();
  }

  static String latin1(ByteBuffer b) {
    return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
  }
}
