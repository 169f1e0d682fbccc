package dev.telltale.internal.ws;

import static dev.telltale.internal.ws.Wire.bytes;
import static dev.telltale.internal.ws.Wire.concat;
import static dev.telltale.internal.ws.Wire.frame;
import static dev.telltale.internal.ws.Wire.header;
import static dev.telltale.internal.ws.Wire.hex;
import static dev.telltale.internal.ws.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameReaderTest {
  private static final String HELLO = hex(utf8("Hello"));

  private final Player player = new Player();

  @Test
  void rfc6455UnmaskedTextFrame() {
    assertEquals(
        List.of("FIN TEXT " + HELLO),
        player.frameWays(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f)));
  }

  @Test
  void rfc6455MaskedTextFrameFromTheServerIsAProtocolError() {
    String message =
        player.frameFailure(
            bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58), 1002);
    assertEquals("server sent a masked TEXT frame", message);
  }

  @Test
  void rfc6455FragmentedUnmaskedText() {
    assertEquals(
        List.of("TEXT 48656c", "FIN CONTINUATION 6c6f"),
        player.frameWays(bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f)));
  }

  @Test
  void rfc6455UnmaskedPing() {
    assertEquals(
        List.of("FIN PING " + HELLO),
        player.frameWays(bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f)));
  }

  @Test
  void rfc6455SixteenBitLength256Bytes() {
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    byte[] wire = concat(bytes(0x82, 0x7E, 0x01, 0x00), payload);
    assertEquals(List.of("FIN BINARY " + hex(payload)), player.frameWays(wire));
  }

  @Test
  void rfc6455SixtyFourBitLength64KiB() {
    byte[] payload = new byte[65536];
    Arrays.fill(payload, (byte) 0x5A);
    payload[0] = 1;
    payload[65535] = 2;
    byte[] wire = concat(bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0), payload);
    assertEquals(List.of("FIN BINARY " + hex(payload)), player.frameWays(wire));
  }

  @Test
  void lengthBoundariesUseTheirMinimalForms() {
    for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536}) {
      byte[] payload = new byte[length];
      Arrays.fill(payload, (byte) 'x');
      byte[] wire = frame(true, WsOpcode.BINARY, payload);
      FrameReader reader = new FrameReader(Long.MAX_VALUE, false);
      List<Integer> sizes = new ArrayList<>();
      try {
        reader.decode(ByteBuffer.wrap(wire), (fin, rsv1, op, p) -> sizes.add(p.remaining()));
      } catch (WsProtocolException e) {
        throw new AssertionError(e);
      }
      assertEquals(List.of(length), sizes, "length " + length);
    }
  }

  @Test
  void emptyFramesOfEveryKind() {
    byte[] wire =
        concat(
            frame(false, WsOpcode.TEXT, new byte[0]),
            frame(true, WsOpcode.CONTINUATION, new byte[0]),
            frame(true, WsOpcode.BINARY, new byte[0]),
            frame(true, WsOpcode.PING, new byte[0]),
            frame(true, WsOpcode.PONG, new byte[0]),
            frame(true, WsOpcode.CLOSE, new byte[0]));
    assertEquals(
        List.of(
            "TEXT ", "FIN CONTINUATION ", "FIN BINARY ", "FIN PING ", "FIN PONG ", "FIN CLOSE "),
        player.frameWays(wire));
  }

  @Test
  void controlFramesInterleaveWithFragmentsAndManyFramesShareARead() {
    byte[] wire =
        concat(
            frame(false, WsOpcode.BINARY, bytes(1, 2, 3)),
            frame(true, WsOpcode.PING, bytes(9)),
            frame(true, WsOpcode.CONTINUATION, bytes(4)),
            Wire.close(1000, "bye"));
    assertEquals(
        List.of("BINARY 010203", "FIN PING 09", "FIN CONTINUATION 04", "FIN CLOSE 03e8627965"),
        player.frameWays(wire));
  }

  @Test
  void everythingAfterACloseFrameIsDroppedUnread() throws Exception {
    byte[] wire =
        concat(
            Wire.close(1000, ""),
            frame(true, WsOpcode.TEXT, utf8("late")),
            bytes(0xFF, 0xFF, 0xFF)); // would be a protocol error if it were decoded
    assertEquals(List.of("FIN CLOSE 03e8"), player.frameWays(wire));
    FrameReader reader = new FrameReader(100, false);
    reader.decode(ByteBuffer.wrap(frame(true, WsOpcode.PING, new byte[0])), (f, r, o, p) -> {});
    assertFalse(reader.closeReceived());
    reader.decode(ByteBuffer.wrap(frame(true, WsOpcode.CLOSE, new byte[0])), (f, r, o, p) -> {});
    assertTrue(reader.closeReceived());
  }

  @Test
  void aControlFrameOf125BytesIsAllowed() {
    byte[] payload = new byte[125];
    Arrays.fill(payload, (byte) 7);
    assertEquals(
        List.of("FIN PONG " + hex(payload)),
        player.frameWays(frame(true, WsOpcode.PONG, payload)));
  }

  @Test
  void partialFrameAtTheEndIsKept() {
    assertEquals(List.of("INCOMPLETE"), player.frameWays(bytes(0x88, 0x02, 0x03)));
    assertEquals(List.of("INCOMPLETE"), player.frameWays(bytes(0x82, 0x7F, 0, 0, 0)));
  }

  @Test
  void rsv1IsReportedOnDataFramesWhenAllowed() {
    Player allowing = new Player();
    allowing.rsv1Allowed = true;
    assertEquals(
        List.of("FIN RSV1 TEXT 0102"), allowing.frameWays(frame(0xC1, bytes(1, 2))));
  }

  @Test
  void rsv2AndRsv3AreProtocolErrors() {
    assertEquals(
        "frame has RSV2/RSV3 set, but no extension defining them was negotiated",
        player.frameFailure(frame(0xA1, bytes(1)), 1002));
    player.frameFailure(frame(0x91, bytes(1)), 1002);
    player.rsv1Allowed = true;
    player.frameFailure(frame(0xF1, bytes(1)), 1002);
  }

  @Test
  void rsv1WithoutDeflateIsAProtocolError() {
    assertEquals(
        "TEXT frame has RSV1 set, but permessage-deflate was not negotiated",
        player.frameFailure(frame(0xC1, bytes(1)), 1002));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x08, 0x09, 0x0A})
  void rsv1OnControlOrContinuationFramesIsAProtocolError(int opcode) {
    player.rsv1Allowed = true;
    String message = player.frameFailure(frame(0xC0 | opcode, new byte[0]), 1002);
    assertEquals(
        WsOpcode.name(opcode) + " frame has RSV1 set; only a message's first frame may", message);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
  void unknownOpcodesAreProtocolErrors(int opcode) {
    String message = player.frameFailure(frame(0x80 | opcode, new byte[0]), 1002);
    assertEquals("frame has unknown opcode 0x" + Integer.toHexString(opcode), message);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x08, 0x09, 0x0A})
  void fragmentedControlFramesAreProtocolErrors(int opcode) {
    String message = player.frameFailure(frame(opcode, new byte[0]), 1002);
    assertEquals(WsOpcode.name(opcode) + " frame is fragmented (FIN=0)", message);
  }

  @Test
  void controlFramesOver125BytesAreProtocolErrorsBeforeThePayloadArrives() {
    byte[] payload = new byte[126];
    assertEquals(
        "PING frame payload exceeds 125 bytes",
        player.frameFailure(frame(true, WsOpcode.PING, payload), 1002));
    // The header alone is enough to reject it.
    player.frameFailure(header(0x88, 126, 16), 1002);
    player.frameFailure(header(0x8A, 1 << 20, 64), 1002);
  }

  @Test
  void nonMinimalLengthsAreProtocolErrors() {
    assertEquals(
        "frame length 125 is not minimally encoded (16-bit form)",
        player.frameFailure(concat(header(0x82, 125, 16), new byte[125]), 1002));
    player.frameFailure(header(0x82, 0, 16), 1002);
    assertEquals(
        "frame length 65535 is not minimally encoded (64-bit form)",
        player.frameFailure(header(0x82, 65535, 64), 1002));
    player.frameFailure(header(0x82, 3, 64), 1002);
    // The smallest lengths of each longer form are fine.
    assertEquals(List.of("INCOMPLETE"), player.frameWays(header(0x82, 126, 16)));
    assertEquals(List.of("INCOMPLETE"), player.frameWays(header(0x82, 65536, 64)));
  }

  @Test
  void sixtyFourBitLengthWithTheTopBitSetIsAProtocolError() {
    assertEquals(
        "frame length has the most significant bit set",
        player.frameFailure(header(0x82, Long.MIN_VALUE, 64), 1002));
    player.frameFailure(header(0x82, -1L, 64), 1002);
  }

  @Test
  void framesOverTheLimitAreTooBigBeforeThePayloadArrives() {
    player.maxFramePayload(100);
    assertEquals(List.of("FIN BINARY " + hex(new byte[100])),
        player.frameWays(frame(true, WsOpcode.BINARY, new byte[100])));
    assertEquals(
        "BINARY frame of 101 bytes exceeds the limit of 100 bytes",
        player.frameFailure(frame(true, WsOpcode.BINARY, new byte[101]), 1009));
    player.frameFailure(header(0x82, Long.MAX_VALUE, 64), 1009);
    player.frameFailure(header(0x00, 70000, 64), 1009);
  }

  @Test
  void aLargeFrameIsDeliveredAsItArrivesWithoutBuffering() throws Exception {
    int size = 1 << 20;
    FrameReader reader = new FrameReader(size, false);
    List<String> pieces = new ArrayList<>();
    long[] total = {0};
    byte[] chunk = new byte[4096];
    ByteBuffer[] current = new ByteBuffer[1];
    FrameReader.Sink sink =
        (fin, rsv1, opcode, payload) -> {
          // A window on the read buffer itself: no copy was made.
          assertSame(current[0].array(), payload.array());
          total[0] += payload.remaining();
          if (pieces.isEmpty() || fin) {
            pieces.add((fin ? "FIN " : "") + WsOpcode.name(opcode));
          }
        };
    current[0] = ByteBuffer.wrap(header(0x82, size, 64));
    reader.decode(current[0], sink);
    for (int sent = 0; sent < size; sent += chunk.length) {
      current[0] = ByteBuffer.wrap(chunk);
      reader.decode(current[0], sink);
      assertEquals(sent + chunk.length, total[0], "delivered as it arrived");
    }
    assertEquals(List.of("BINARY", "FIN CONTINUATION"), pieces);
    assertTrue(reader.atFrameBoundary());
  }

  @Test
  void aSinkExceptionPropagatesAndTheReadIsLeftConsistent() {
    FrameReader reader = new FrameReader(1000, false);
    ByteBuffer src = ByteBuffer.wrap(concat(frame(true, WsOpcode.TEXT, utf8("ab")), bytes(0x89)));
    WsProtocolException e =
        assertThrows(
            WsProtocolException.class,
            () ->
                reader.decode(
                    src,
                    (fin, rsv1, op, p) -> {
                      p.position(p.limit()); // a sink may consume
                      throw new WsProtocolException(1007, "no");
                    }));
    assertEquals(1007, e.closeCode());
    assertEquals(4, src.position(), "positioned after the frame handed to the sink");
    assertEquals(5, src.limit(), "limit restored");
  }

  @Test
  void rejectsANegativeLimit() {
    assertThrows(IllegalArgumentException.class, () -> new FrameReader(-1, false));
  }
}
