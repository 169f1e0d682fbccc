package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackStatusTest {

  private static final Map<String, Integer> WINHTTP_H = new LinkedHashMap<>();

  static {
    WINHTTP_H.put("RESOLVING_NAME", 0x00000001);
    WINHTTP_H.put("NAME_RESOLVED", 0x00000002);
    WINHTTP_H.put("CONNECTING_TO_SERVER", 0x00000004);
    WINHTTP_H.put("CONNECTED_TO_SERVER", 0x00000008);
    WINHTTP_H.put("SENDING_REQUEST", 0x00000010);
    WINHTTP_H.put("REQUEST_SENT", 0x00000020);
    WINHTTP_H.put("RECEIVING_RESPONSE", 0x00000040);
    WINHTTP_H.put("RESPONSE_RECEIVED", 0x00000080);
    WINHTTP_H.put("CLOSING_CONNECTION", 0x00000100);
    WINHTTP_H.put("CONNECTION_CLOSED", 0x00000200);
    WINHTTP_H.put("HANDLE_CREATED", 0x00000400);
    WINHTTP_H.put("HANDLE_CLOSING", 0x00000800);
    WINHTTP_H.put("DETECTING_PROXY", 0x00001000);
    WINHTTP_H.put("REDIRECT", 0x00004000);
    WINHTTP_H.put("INTERMEDIATE_RESPONSE", 0x00008000);
    WINHTTP_H.put("SECURE_FAILURE", 0x00010000);
    WINHTTP_H.put("HEADERS_AVAILABLE", 0x00020000);
    WINHTTP_H.put("DATA_AVAILABLE", 0x00040000);
    WINHTTP_H.put("READ_COMPLETE", 0x00080000);
    WINHTTP_H.put("WRITE_COMPLETE", 0x00100000);
    WINHTTP_H.put("REQUEST_ERROR", 0x00200000);
    WINHTTP_H.put("SENDREQUEST_COMPLETE", 0x00400000);
    WINHTTP_H.put("GETPROXYFORURL_COMPLETE", 0x01000000);
    WINHTTP_H.put("CLOSE_COMPLETE", 0x02000000);
    WINHTTP_H.put("SHUTDOWN_COMPLETE", 0x04000000);
  }

  @Test
  void thereAreExactlyTwentyFiveStatuses() {
    assertEquals(25, CallbackStatus.values().length);
  }

  @Test
  void valuesMatchWinhttpH() {
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (CallbackStatus s : CallbackStatus.values()) {
      actual.put(s.name(), s.value());
    }
    assertEquals(WINHTTP_H, actual);
  }

  @Test
  void fromValueIsTheInverseOfValue() {
    for (CallbackStatus s : CallbackStatus.values()) {
      assertSame(s, CallbackStatus.fromValue(s.value()));
    }
  }

  @Test
  void fromValueRejectsUnknownValuesAndMasks() {
    for (int bad : new int[] {0, 0x2000, 0x800000, 0x3, -1, 0x80000000}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CallbackStatus.fromValue(bad));
      assertEquals("unknown callback status: 0x" + Integer.toHexString(bad), e.getMessage());
    }
  }
}
