package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void valuesMatchWinhttpAndWin32Numbers() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("INVALID_HANDLE", 6);
    expected.put("NOT_ENOUGH_MEMORY", 8);
    expected.put("INVALID_PARAMETER", 87);
    expected.put("INSUFFICIENT_BUFFER", 122);
    expected.put("INVALID_OPERATION", 4317);
    expected.put("OUT_OF_HANDLES", 12001);
    expected.put("TIMEOUT", 12002);
    expected.put("INTERNAL_ERROR", 12004);
    expected.put("INVALID_URL", 12005);
    expected.put("UNRECOGNIZED_SCHEME", 12006);
    expected.put("NAME_NOT_RESOLVED", 12007);
    expected.put("INVALID_OPTION", 12009);
    expected.put("OPTION_NOT_SETTABLE", 12011);
    expected.put("SHUTDOWN", 12012);
    expected.put("LOGIN_FAILURE", 12015);
    expected.put("OPERATION_CANCELLED", 12017);
    expected.put("INCORRECT_HANDLE_TYPE", 12018);
    expected.put("INCORRECT_HANDLE_STATE", 12019);
    expected.put("CANNOT_CONNECT", 12029);
    expected.put("CONNECTION_ERROR", 12030);
    expected.put("RESEND_REQUEST", 12032);
    expected.put("CLIENT_AUTH_CERT_NEEDED", 12044);
    expected.put("HEADER_NOT_FOUND", 12150);
    expected.put("INVALID_SERVER_RESPONSE", 12152);
    expected.put("INVALID_HEADER", 12153);
    expected.put("INVALID_QUERY_REQUEST", 12154);
    expected.put("HEADER_ALREADY_EXISTS", 12155);
    expected.put("REDIRECT_FAILED", 12156);
    expected.put("SECURE_FAILURE", 12175);
    expected.put("AUTODETECTION_FAILED", 12180);
    expected.put("HEADER_COUNT_EXCEEDED", 12181);
    expected.put("HEADER_SIZE_OVERFLOW", 12182);
    expected.put("CHUNKED_ENCODING_HEADER_SIZE_OVERFLOW", 12183);
    expected.put("RESPONSE_DRAIN_OVERFLOW", 12184);
    expected.put("CLIENT_CERT_NO_PRIVATE_KEY", 12185);
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (ErrorCode c : ErrorCode.values()) {
      actual.put(c.name(), c.value());
    }
    assertEquals(expected, actual);
  }

  @Test
  void valuesAreUniqueAndFromValueIsTheInverse() {
    Set<Integer> seen = new HashSet<>();
    for (ErrorCode c : ErrorCode.values()) {
      assertEquals(true, seen.add(c.value()), c.name());
      assertSame(c, ErrorCode.fromValue(c.value()));
    }
  }

  @Test
  void fromValueRejectsUnknownNumbers() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ErrorCode.fromValue(12003));
    assertEquals("unknown error code: 12003", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ErrorCode.fromValue(0));
  }

  @Test
  void httpExceptionCarriesCodeMessageAndCause() {
    ConnectException cause = new ConnectException("Connection refused");
    HttpException e =
        new HttpException(ErrorCode.CANNOT_CONNECT, "connection refused: 127.0.0.1:1", cause);
    assertSame(ErrorCode.CANNOT_CONNECT, e.code());
    assertEquals("connection refused: 127.0.0.1:1", e.getMessage());
    assertSame(cause, e.getCause());
    assertEquals(
        "dev.telltale.HttpException: CANNOT_CONNECT (12029): connection refused: 127.0.0.1:1",
        e.toString());
    IOException asIo = e;
    assertSame(e, asIo);
  }

  @Test
  void httpExceptionWithoutCauseOrMessage() {
    HttpException e = new HttpException(ErrorCode.TIMEOUT, null);
    assertNull(e.getCause());
    assertEquals("dev.telltale.HttpException: TIMEOUT (12002)", e.toString());
  }

  @Test
  void handleExceptionIsAnIllegalStateExceptionWithACode() {
    HandleException e = new HandleException(ErrorCode.INVALID_HANDLE, "request is closed");
    IllegalStateException asIse = e;
    assertSame(ErrorCode.INVALID_HANDLE, asIse instanceof HandleException h ? h.code() : null);
    assertEquals("request is closed", e.getMessage());
    assertEquals(
        "dev.telltale.HandleException: INVALID_HANDLE (6): request is closed", e.toString());
    Throwable cause = new RuntimeException("x");
    assertSame(cause, new HandleException(ErrorCode.INTERNAL_ERROR, "bug", cause).getCause());
  }

  @Test
  void exceptionsRejectANullCode() {
    assertThrows(NullPointerException.class, () -> new HttpException(null, "m"));
    assertThrows(NullPointerException.class, () -> new HandleException(null, "m", null));
  }
}
