package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Option values outside their range are refused at call time, naming the option and the range. */
class OptionRangeTest {
  @Test
  void webSocketBufferSizesAreBoundedBothWays() {
    assertEquals(256, Option.WEB_SOCKET_RECEIVE_BUFFER_SIZE.validate(256));
    assertEquals(16 << 20, Option.WEB_SOCKET_RECEIVE_BUFFER_SIZE.validate(16 << 20));
    assertEquals(16, Option.WEB_SOCKET_SEND_BUFFER_SIZE.validate(16));
    assertEquals(16 << 20, Option.WEB_SOCKET_SEND_BUFFER_SIZE.validate(16 << 20));
    for (int bad : new int[] {255, (16 << 20) + 1, Integer.MAX_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Option.WEB_SOCKET_RECEIVE_BUFFER_SIZE.validate(bad));
      assertTrue(e.getMessage().startsWith("WEB_SOCKET_RECEIVE_BUFFER_SIZE must be between"), e.getMessage());
    }
    for (int bad : new int[] {15, (16 << 20) + 1, Integer.MAX_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Option.WEB_SOCKET_SEND_BUFFER_SIZE.validate(bad));
      assertTrue(e.getMessage().contains("16 MiB"), e.getMessage());
    }
  }
}
