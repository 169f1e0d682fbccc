package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The small enums and records: winhttp.h numbers and validation. */
class ValuesTest {

  private static <E extends Enum<E>> Map<String, Integer> valuesOf(
      Class<E> type, ToIntFunction<E> value) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (E e : type.getEnumConstants()) {
      m.put(e.name(), value.applyAsInt(e));
    }
    return m;
  }

  @Test
  void handleTypesAreTheFourWinhttpHandles() {
    assertEquals(
        "[SESSION, CONNECT, REQUEST, WEBSOCKET]", java.util.Arrays.toString(HandleType.values()));
  }

  @Test
  void asyncApiUsesApiNumbersForHttpAndOperationNumbersForWebSocket() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("RECEIVE_RESPONSE", 1);
    expected.put("QUERY_DATA_AVAILABLE", 2);
    expected.put("READ_DATA", 3);
    expected.put("WRITE_DATA", 4);
    expected.put("SEND_REQUEST", 5);
    expected.put("GET_PROXY_FOR_URL", 6);
    expected.put("WEB_SOCKET_SEND", 0);
    expected.put("WEB_SOCKET_RECEIVE", 1);
    expected.put("WEB_SOCKET_CLOSE", 2);
    expected.put("WEB_SOCKET_SHUTDOWN", 3);
    assertEquals(expected, valuesOf(AsyncApi.class, AsyncApi::value));
    for (AsyncApi api : AsyncApi.values()) {
      assertEquals(api.name().startsWith("WEB_SOCKET_"), api.isWebSocket(), api.name());
    }
  }

  @Test
  void secureFailureFlagsMatchWinhttpH() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("CERT_REV_FAILED", 0x1);
    expected.put("INVALID_CERT", 0x2);
    expected.put("CERT_REVOKED", 0x4);
    expected.put("INVALID_CA", 0x8);
    expected.put("CERT_CN_INVALID", 0x10);
    expected.put("CERT_DATE_INVALID", 0x20);
    expected.put("CERT_WRONG_USAGE", 0x40);
    expected.put("SECURITY_CHANNEL_ERROR", 0x80000000);
    assertEquals(expected, valuesOf(SecureFailureFlag.class, SecureFailureFlag::value));
  }

  @Test
  void secureFailureMaskRoundTrips() {
    Set<SecureFailureFlag> flags =
        EnumSet.of(SecureFailureFlag.INVALID_CA, SecureFailureFlag.SECURITY_CHANNEL_ERROR);
    assertEquals(0x80000008, SecureFailureFlag.mask(flags));
    assertEquals(flags, SecureFailureFlag.fromMask(0x80000008));
    assertEquals(0, SecureFailureFlag.mask(Set.of()));
    assertEquals(EnumSet.allOf(SecureFailureFlag.class), SecureFailureFlag.fromMask(-1));
  }

  @Test
  void securityFlagsMatchWinhttpH() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("IGNORE_UNKNOWN_CA", 0x100);
    expected.put("IGNORE_CERT_WRONG_USAGE", 0x200);
    expected.put("IGNORE_CERT_CN_INVALID", 0x1000);
    expected.put("IGNORE_CERT_DATE_INVALID", 0x2000);
    assertEquals(expected, valuesOf(SecurityFlag.class, SecurityFlag::value));
    assertEquals(0x3300, SecurityFlag.mask(EnumSet.allOf(SecurityFlag.class)));
  }

  @Test
  void redirectPolicyOpenRequestFlagAndBufferTypesMatchWinhttpH() {
    assertEquals(
        Map.of("NEVER", 0, "DISALLOW_HTTPS_TO_HTTP", 1, "ALWAYS", 2),
        valuesOf(RedirectPolicy.class, RedirectPolicy::value));
    assertEquals(0x00800000, OpenRequestFlag.SECURE.value());
    Map<String, Integer> types = new LinkedHashMap<>();
    types.put("BINARY_MESSAGE", 0);
    types.put("BINARY_FRAGMENT", 1);
    types.put("UTF8_MESSAGE", 2);
    types.put("UTF8_FRAGMENT", 3);
    types.put("CLOSE", 4);
    assertEquals(types, valuesOf(WebSocketBufferType.class, WebSocketBufferType::value));
  }

  @Test
  void webSocketStatusValidatesItsFields() {
    WebSocketStatus s = new WebSocketStatus(0, WebSocketBufferType.CLOSE);
    assertEquals(0, s.bytesTransferred());
    assertThrows(
        IllegalArgumentException.class,
        () -> new WebSocketStatus(-1, WebSocketBufferType.BINARY_MESSAGE));
    assertThrows(NullPointerException.class, () -> new WebSocketStatus(1, null));
  }

  @Test
  void closeStatusTreatsANullReasonAsEmpty() {
    assertEquals(new CloseStatus(1005, ""), new CloseStatus(1005, null));
    assertEquals("bye", new CloseStatus(1000, "bye").reason());
    assertTrue(new CloseStatus(1000, null).reason().isEmpty());
    assertFalse(new CloseStatus(1000, "x").equals(new CloseStatus(1001, "x")));
  }
}
