package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {

  private static final String RAW =
      "HTTP/1.1 200 OK\r\n"
          + "Content-Type: text/plain\r\n"
          + "Set-Cookie: a=1; Path=/\r\n"
          + "set-cookie: b=2\r\n"
          + "Cache-Control: no-cache, no-store\r\n"
          + "Content-Length: 42\r\n"
          + "\r\n";

  private static ResponseHeaders sample() {
    return ResponseHeaders.of(
        "HTTP/1.1",
        200,
        "OK",
        List.of(
            "Content-Type", "text/plain",
            "Set-Cookie", "a=1; Path=/",
            "set-cookie", "b=2",
            "Cache-Control", "no-cache, no-store",
            "Content-Length", "42"),
        RAW);
  }

  private static ResponseHeaders withContentLength(String... values) {
    String[] flat = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      flat[2 * i] = "Content-Length";
      flat[2 * i + 1] = values[i];
    }
    return ResponseHeaders.of("HTTP/1.1", 200, "OK", Arrays.asList(flat), null);
  }

  @Test
  void statusLinePartsAreReported() {
    ResponseHeaders h = sample();
    assertEquals("HTTP/1.1", h.version());
    assertEquals(200, h.statusCode());
    assertEquals("OK", h.reasonPhrase());
    assertEquals(RAW, h.raw());
  }

  @Test
  void firstValueIgnoresCase() {
    ResponseHeaders h = sample();
    assertEquals(Optional.of("text/plain"), h.firstValue("content-type"));
    assertEquals(Optional.of("text/plain"), h.firstValue("CONTENT-TYPE"));
    assertEquals(Optional.of("a=1; Path=/"), h.firstValue("SET-COOKIE"));
    assertEquals(Optional.empty(), h.firstValue("X-Missing"));
  }

  @Test
  void valuesReturnsEveryFieldInOrderWithoutSplittingOnCommas() {
    ResponseHeaders h = sample();
    assertEquals(List.of("a=1; Path=/", "b=2"), h.values("Set-Cookie"));
    assertEquals(List.of("no-cache, no-store"), h.values("cache-control"));
    assertEquals(List.of(), h.values("X-Missing"));
    assertThrows(UnsupportedOperationException.class, () -> h.values("Set-Cookie").add("c"));
  }

  @Test
  void mapIsCaseInsensitiveAndKeepsTheFirstSpelling() {
    Map<String, List<String>> m = sample().map();
    assertEquals(List.of("a=1; Path=/", "b=2"), m.get("SET-COOKIE"));
    assertEquals(
        List.of("Cache-Control", "Content-Length", "Content-Type", "Set-Cookie"),
        List.copyOf(m.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> m.put("X", List.of()));
    assertThrows(UnsupportedOperationException.class, () -> m.get("Set-Cookie").add("c"));
  }

  @Test
  void fieldsAreIndexedInOrder() {
    ResponseHeaders h = sample();
    assertEquals(5, h.fieldCount());
    assertEquals("set-cookie", h.fieldName(2));
    assertEquals("b=2", h.fieldValue(2));
    assertThrows(IndexOutOfBoundsException.class, () -> h.fieldName(5));
    assertThrows(IndexOutOfBoundsException.class, () -> h.fieldValue(-1));
  }

  @Test
  void contentLengthParsesANonNegativeNumber() {
    assertEquals(OptionalLong.of(42), sample().contentLength());
    assertEquals(OptionalLong.of(0), withContentLength("0").contentLength());
    assertEquals(OptionalLong.of(7), withContentLength(" 7\t").contentLength());
    assertEquals(
        OptionalLong.of(Long.MAX_VALUE), withContentLength("9223372036854775807").contentLength());
    assertEquals(OptionalLong.of(5), withContentLength("0000000000000000000005").contentLength());
  }

  @Test
  void contentLengthIsEmptyWhenAbsentOrInvalid() {
    assertEquals(OptionalLong.empty(), withContentLength().contentLength());
    for (String bad :
        new String[] {"", " ", "-1", "+1", "1.0", "0x10", "12a", "9223372036854775808", "1 2"}) {
      assertEquals(OptionalLong.empty(), withContentLength(bad).contentLength(), bad);
    }
  }

  @Test
  void repeatedIdenticalContentLengthsCountAsOneButConflictsAreInvalid() {
    assertEquals(OptionalLong.of(42), withContentLength("42", "42").contentLength());
    assertEquals(OptionalLong.of(42), withContentLength("42, 42").contentLength());
    assertEquals(OptionalLong.empty(), withContentLength("42", "43").contentLength());
    assertEquals(OptionalLong.empty(), withContentLength("42,").contentLength());
  }

  @Test
  void toStringShowsStatusLineAndCountButNeverValues() {
    ResponseHeaders h =
        ResponseHeaders.of(
            "HTTP/1.1", 401, "Unauthorized", List.of("WWW-Authenticate", "secret-token-xyz"), null);
    assertEquals("HTTP/1.1 401 Unauthorized (1 field)", h.toString());
    assertFalse(h.toString().contains("secret"));
    assertEquals("HTTP/1.1 200 OK (5 fields)", sample().toString());
    assertEquals(
        "HTTP/1.0 204 (0 fields)",
        ResponseHeaders.of("HTTP/1.0", 204, "", List.of(), null).toString());
  }

  @Test
  void rawIsSynthesizedWhenNotGiven() {
    ResponseHeaders h = ResponseHeaders.of("HTTP/1.1", 404, "Not Found", List.of("A", "1"), null);
    assertEquals("HTTP/1.1 404 Not Found\r\nA: 1\r\n\r\n", h.raw());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ResponseHeaders.of("HTTP/1.1", 200, "OK", List.of("Only-Name"), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> ResponseHeaders.of("HTTP/1.1", 99, "OK", List.of(), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> ResponseHeaders.of("HTTP/1.1", 1000, "OK", List.of(), null));
    assertThrows(
        NullPointerException.class, () -> ResponseHeaders.of(null, 200, "OK", List.of(), null));
    assertThrows(
        NullPointerException.class,
        () -> ResponseHeaders.of("HTTP/1.1", 200, "OK", Arrays.asList("A", null), null));
  }

  @Test
  void theNameListIsCopied() {
    java.util.ArrayList<String> list = new java.util.ArrayList<>(List.of("A", "1"));
    ResponseHeaders h = ResponseHeaders.of("HTTP/1.1", 200, "OK", list, null);
    list.set(1, "2");
    assertEquals(Optional.of("1"), h.firstValue("a"));
  }
}
