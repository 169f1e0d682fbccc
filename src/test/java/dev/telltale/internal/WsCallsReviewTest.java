package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CloseStatus;
import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.WebSocketBufferType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The websocket's call-time rules (rule 26 and RFC 6455 §8.1 for what we send), without sockets. */
class WsCallsReviewTest {
  private final WsCalls calls = new WsCalls();

  private static ByteBuffer bytes(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length);
    for (int v : values) {
      b.put((byte) v);
    }
    return b.flip();
  }

  private boolean send(WebSocketBufferType type, ByteBuffer data) {
    boolean first = calls.beginSend(type, data);
    calls.sendEnded();
    return first;
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsAcceptedAndTheBufferIsNotMoved() {
    ByteBuffer head = bytes(0xF0, 0x9F);
    assertTrue(send(WebSocketBufferType.UTF8_FRAGMENT, head));
    assertEquals(0, head.position());
    assertFalse(send(WebSocketBufferType.UTF8_FRAGMENT, bytes(0x98)));
    assertFalse(send(WebSocketBufferType.UTF8_MESSAGE, bytes(0x80)));
    assertTrue(send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("next".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aRefusedPieceLeavesTheMessageAndTheSendSlotAsTheyWere() {
    send(WebSocketBufferType.UTF8_FRAGMENT, bytes(0xE2, 0x82));
    assertThrows(IllegalArgumentException.class, () -> calls.beginSend(WebSocketBufferType.UTF8_FRAGMENT, bytes(0x41)));
    assertThrows(IllegalArgumentException.class, () -> calls.beginSend(WebSocketBufferType.UTF8_MESSAGE, bytes()));
    assertThrows(IllegalArgumentException.class, () -> calls.beginSend(WebSocketBufferType.BINARY_MESSAGE, bytes(0x41)));
    assertFalse(send(WebSocketBufferType.UTF8_MESSAGE, bytes(0xAC)), "the message continues after refusals");
  }

  @Test
  void everyKindOfInvalidUtf8IsRefusedAndBinaryIsNeverChecked() {
    int[][] invalid = {{0x80}, {0xC0, 0x80}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80},
        {0xF5}, {0xFF}, {0xC3}};
    for (int[] sequence : invalid) {
      assertThrows(IllegalArgumentException.class, () -> calls.beginSend(WebSocketBufferType.UTF8_MESSAGE, bytes(sequence)));
      assertTrue(send(WebSocketBufferType.BINARY_MESSAGE, bytes(sequence)));
    }
  }

  @Test
  void theServersCloseRefusesSendsAndAnswersQueriesOnlyOnceDelivered() {
    assertEquals(ErrorCode.INVALID_OPERATION, assertThrows(HandleException.class, calls::queryCloseStatus).code());
    calls.serverCloseDelivered(new CloseStatus(1001, "away"), true);
    assertEquals(new CloseStatus(1001, "away"), calls.queryCloseStatus());
    assertEquals(ErrorCode.INVALID_OPERATION, assertThrows(HandleException.class,
        () -> calls.beginSend(WebSocketBufferType.BINARY_MESSAGE, bytes())).code());
    assertEquals(ErrorCode.INVALID_OPERATION, assertThrows(HandleException.class, calls::beginReceive).code());
  }

  @Test
  void oneSendAndOneReceiveAtATime() {
    calls.beginSend(WebSocketBufferType.BINARY_MESSAGE, bytes());
    calls.beginReceive();
    assertThrows(HandleException.class, () -> calls.beginSend(WebSocketBufferType.BINARY_MESSAGE, bytes()));
    assertThrows(HandleException.class, calls::beginReceive);
    calls.allEnded();
    calls.beginSend(WebSocketBufferType.BINARY_MESSAGE, bytes());
    calls.beginReceive();
  }
}
