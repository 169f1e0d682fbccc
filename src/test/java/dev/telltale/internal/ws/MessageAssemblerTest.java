package dev.telltale.internal.ws;

import static dev.telltale.internal.ws.Wire.bytes;
import static dev.telltale.internal.ws.Wire.concat;
import static dev.telltale.internal.ws.Wire.cont;
import static dev.telltale.internal.ws.Wire.frame;
import static dev.telltale.internal.ws.Wire.text;
import static dev.telltale.internal.ws.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageAssemblerTest {
  private final Player player = new Player();

  @Test
  void rfc6455ExamplesAsMessages() {
    byte[] wire =
        concat(
            bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
            bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f),
            bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
            bytes(0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
    assertEquals(
        List.of("TEXT Hello", "TEXT Hello", "PING 48656c6c6f", "PONG 48656c6c6f"),
        player.messageWays(wire));
  }

  @Test
  void binaryAndEmptyMessages() {
    byte[] wire =
        concat(
            frame(true, WsOpcode.BINARY, bytes(0xff, 0x00, 0xc0)),
            frame(true, WsOpcode.TEXT, new byte[0]),
            frame(false, WsOpcode.BINARY, new byte[0]),
            frame(true, WsOpcode.CONTINUATION, new byte[0]));
    assertEquals(List.of("BINARY ff00c0", "TEXT ", "BINARY "), player.messageWays(wire));
  }

  @Test
  void controlFramesInterleaveWithAFragmentedMessage() {
    byte[] wire =
        concat(
            text(false, "Hel"),
            frame(true, WsOpcode.PING, bytes(1)),
            cont(false, "l"),
            frame(true, WsOpcode.PONG, new byte[0]),
            cont(true, "o"),
            Wire.close(1000, "done"));
    assertEquals(
        List.of("PING 01", "PONG ", "TEXT Hello", "CLOSE 1000 done"), player.messageWays(wire));
  }

  @Test
  void lastIsDeliveredExactlyOncePerMessageAndDataStreamsBeforeTheEnd() throws Exception {
    List<String> calls = new ArrayList<>();
    MessageAssembler assembler =
        new MessageAssembler(100, null, new Listening(calls));
    assembler.frame(false, false, WsOpcode.TEXT, ByteBuffer.wrap(utf8("ab")));
    assertEquals(List.of("data text ab last=false"), calls, "delivered before the message ends");
    assertTrue(assembler.inMessage());
    assembler.frame(false, false, WsOpcode.CONTINUATION, ByteBuffer.allocate(0));
    assembler.frame(true, false, WsOpcode.CONTINUATION, ByteBuffer.allocate(0));
    assertFalse(assembler.inMessage());
    assertEquals(List.of("data text ab last=false", "data text  last=true"), calls);
  }

  @Test
  void continuationWithoutAStartedMessageIsAProtocolError() {
    assertEquals(
        "CONTINUATION frame without a message to continue",
        player.messageFailure(cont(true, "x"), 1002));
    // Also right after a complete message.
    player.messageFailure(concat(text(true, "a"), cont(true, "x")), 1002);
  }

  @ParameterizedTest
  @ValueSource(ints = {WsOpcode.TEXT, WsOpcode.BINARY})
  void aNewMessageWhileOneIsOpenIsAProtocolError(int opcode) {
    String message =
        player.messageFailure(
            concat(text(false, "a"), frame(true, opcode, utf8("b"))), 1002);
    assertEquals(WsOpcode.name(opcode) + " frame while a fragmented message is still open", message);
  }

  @Test
  void rsv1WithoutDeflateIsAProtocolErrorHereToo() {
    MessageAssembler assembler = new MessageAssembler(100, null, new Listening(new ArrayList<>()));
    WsProtocolException e =
        assertThrows(
            WsProtocolException.class,
            () -> assembler.frame(true, true, WsOpcode.BINARY, ByteBuffer.allocate(1)));
    assertEquals(1002, e.closeCode());
    assertEquals("BINARY frame has RSV1 set, but permessage-deflate was not negotiated", e.getMessage());
  }

  @Test
  void rsv1OnALaterFrameOfAMessageIsAProtocolError() throws Exception {
    PerMessageDeflate deflate = PerMessageDeflate.negotiate("permessage-deflate");
    try {
      MessageAssembler assembler =
          new MessageAssembler(100, deflate, new Listening(new ArrayList<>()));
      assembler.frame(false, false, WsOpcode.TEXT, ByteBuffer.wrap(utf8("a")));
      WsProtocolException e =
          assertThrows(
              WsProtocolException.class,
              () -> assembler.frame(true, true, WsOpcode.CONTINUATION, ByteBuffer.allocate(1)));
      assertEquals(1002, e.closeCode());
      assertEquals(
          "CONTINUATION frame has RSV1 set; only a message's first frame may", e.getMessage());
    } finally {
      deflate.end();
    }
  }

  @Test
  void invalidUtf8InATextMessageIsInvalidPayload() {
    assertEquals(
        "text message is not valid UTF-8",
        player.messageFailure(frame(true, WsOpcode.TEXT, bytes(0x41, 0xff)), 1007));
    // Binary messages are not UTF-8 checked.
    assertEquals(List.of("BINARY 41ff"), player.messageWays(frame(true, WsOpcode.BINARY, bytes(0x41, 0xff))));
  }

  @Test
  void utf8SplitAcrossFragmentsIsValid() {
    byte[] euro = utf8("€"); // e2 82 ac
    byte[] wire =
        concat(
            frame(false, WsOpcode.TEXT, bytes(0x41, euro[0])),
            frame(true, WsOpcode.PING, new byte[0]),
            frame(false, WsOpcode.CONTINUATION, bytes(euro[1])),
            frame(true, WsOpcode.CONTINUATION, bytes(euro[2], 0x42)));
    assertEquals(List.of("PING ", "TEXT A€B"), player.messageWays(wire));
  }

  @Test
  void invalidUtf8AcrossFragmentsIsInvalidPayload() {
    byte[] wire =
        concat(
            frame(false, WsOpcode.TEXT, bytes(0x41, 0xed)),
            frame(true, WsOpcode.CONTINUATION, bytes(0xa0, 0x80)));
    player.messageFailure(wire, 1007);
  }

  @Test
  void invalidUtf8FailsAsSoonAsItArrivesNotAtTheMessageEnd() {
    // The message never ends, but its first fragment is already hopeless.
    player.messageFailure(frame(false, WsOpcode.TEXT, bytes(0x41, 0xc0, 0xaf)), 1007);
  }

  @Test
  void aTextMessageEndingInsideASequenceIsInvalidPayload() {
    byte[] wire =
        concat(frame(false, WsOpcode.TEXT, bytes(0x41, 0xe2)), frame(true, 0, bytes(0x82)));
    assertEquals(
        "text message ends inside a UTF-8 sequence", player.messageFailure(wire, 1007));
  }

  @Test
  void utf8StateStartsOverForEachMessage() {
    byte[] wire = concat(frame(true, WsOpcode.TEXT, bytes(0x41)), frame(true, WsOpcode.TEXT, bytes(0x82)));
    assertEquals(List.of("TEXT A", "ERROR 1007: text message is not valid UTF-8"), player.messageWays(wire));
  }

  @Test
  void closeWithoutPayloadReports1005() {
    assertEquals(List.of("CLOSE 1005 "), player.messageWays(frame(true, WsOpcode.CLOSE, new byte[0])));
  }

  @Test
  void framesAfterACloseFrameAreIgnored() throws Exception {
    List<String> calls = new ArrayList<>();
    MessageAssembler assembler = new MessageAssembler(100, null, new Listening(calls));
    assembler.frame(false, false, WsOpcode.TEXT, ByteBuffer.wrap(utf8("a")));
    assembler.frame(true, false, WsOpcode.CLOSE, ByteBuffer.allocate(0));
    assembler.frame(true, false, WsOpcode.CONTINUATION, ByteBuffer.wrap(utf8("b")));
    assembler.frame(true, false, WsOpcode.PING, ByteBuffer.allocate(0));
    // Not even a protocol error: a second CLOSE with a bad length after the first one.
    assembler.frame(true, false, WsOpcode.CLOSE, ByteBuffer.allocate(1));
    assertEquals(List.of("data text a last=false", "close 1005"), calls);
  }

  @Test
  void closeWithAOneBytePayloadIsAProtocolError() {
    assertEquals(
        "CLOSE frame has a 1-byte payload; a status code takes 2",
        player.messageFailure(frame(true, WsOpcode.CLOSE, bytes(0x03)), 1002));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
  void closeCodesThatMayNotBeSentAreProtocolErrors(int code) {
    assertEquals(
        "CLOSE frame has status code " + code + ", which may not be sent",
        player.messageFailure(Wire.close(code, ""), 1002));
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
  void closeCodesThatMayBeSentAreDelivered(int code) {
    assertEquals(List.of("CLOSE " + code + " why"), player.messageWays(Wire.close(code, "why")));
  }

  @Test
  void closeReasonMustBeValidUtf8() {
    assertEquals(
        List.of("CLOSE 1000 ¡adiós €"), player.messageWays(Wire.close(1000, "¡adiós €")));
    byte[] bad = frame(true, WsOpcode.CLOSE, bytes(0x03, 0xe8, 0x41, 0xce));
    assertEquals("CLOSE frame reason is not valid UTF-8", player.messageFailure(bad, 1007));
    player.messageFailure(frame(true, WsOpcode.CLOSE, bytes(0x03, 0xe8, 0xed, 0xa0, 0x80)), 1007);
  }

  @Test
  void aCloseReasonInsideATextMessageIsValidatedOnItsOwn() {
    // The text stops inside a sequence (E2 ..); the reason "é" must not be read as its continuation.
    byte[] wire =
        concat(
            frame(false, WsOpcode.TEXT, bytes(0xe2)),
            Wire.close(1000, "é"),
            frame(true, WsOpcode.CONTINUATION, bytes(0x82, 0xac)));
    assertEquals(List.of("CLOSE 1000 é"), player.messageWays(wire));
  }

  @Test
  void messagesOverTheLimitAreTooBig() {
    player.maxMessageSize(5);
    assertEquals(List.of("TEXT Hello"), player.messageWays(concat(text(false, "Hel"), cont(true, "lo"))));
    assertEquals(
        "message exceeds the limit of 5 bytes",
        player.messageFailure(concat(text(false, "Hel"), cont(false, "lo"), cont(true, "!")), 1009));
    // The limit is per message, not per connection.
    assertEquals(
        List.of("TEXT Hello", "TEXT Hello"),
        player.messageWays(concat(text(true, "Hello"), text(true, "Hello"))));
  }

  @Test
  void aListenerExceptionPropagates() {
    MessageAssembler assembler =
        new MessageAssembler(
            100,
            null,
            new Listening(new ArrayList<>()) {
              @Override
              public void data(boolean text, ByteBuffer bytes, boolean last)
                  throws WsProtocolException {
                throw new WsProtocolException(1009, "application limit");
              }
            });
    WsProtocolException e =
        assertThrows(
            WsProtocolException.class,
            () -> assembler.frame(true, false, WsOpcode.BINARY, ByteBuffer.allocate(1)));
    assertEquals("application limit", e.getMessage());
    assertFalse(assembler.inMessage());
  }

  @Test
  void rejectsANegativeLimit() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MessageAssembler(-1, null, new Listening(new ArrayList<>())));
  }

  /** Records calls verbatim, pieces unjoined. */
  static class Listening implements MessageAssembler.Listener {
    final List<String> calls;

    Listening(List<String> calls) {
      this.calls = calls;
    }

    @Override
    public void data(boolean text, ByteBuffer bytes, boolean last) throws WsProtocolException {
      calls.add(
          "data "
              + (text ? "text " : "binary ")
              + new String(Wire.copy(bytes), java.nio.charset.StandardCharsets.UTF_8)
              + " last="
              + last);
    }

    @Override
    public void ping(ByteBuffer payload) {
      calls.add("ping");
    }

    @Override
    public void pong(ByteBuffer payload) {
      calls.add("pong");
    }

    @Override
    public void close(int code, String reason) {
      calls.add("close " + code);
    }
  }
}
