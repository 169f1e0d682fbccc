package dev.telltale.internal.ws;

import static dev.telltale.internal.ws.Wire.bytes;
import static dev.telltale.internal.ws.Wire.hex;
import static dev.telltale.internal.ws.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameWriterTest {
  private static final int RFC_MASK = 0x37fa213d;

  /** A client frame as a server decodes it: header fields and the unmasked payload. */
  private static final class Decoded {
    boolean fin;
    boolean rsv1;
    int opcode;
    int mask;
    byte[] payload;
    int size;
  }

  /** The server's side of RFC 6455 §5.2: a deliberately simple, byte-by-byte decoder. */
  private static Decoded decode(ByteBuffer wire) {
    Decoded d = new Decoded();
    int start = wire.position();
    int b0 = wire.get() & 0xFF;
    int b1 = wire.get() & 0xFF;
    d.fin = (b0 & 0x80) != 0;
    d.rsv1 = (b0 & 0x40) != 0;
    assertEquals(0, b0 & 0x30, "RSV2/RSV3");
    d.opcode = b0 & 0x0F;
    assertTrue((b1 & 0x80) != 0, "client frames must be masked");
    long length = b1 & 0x7F;
    if (length == 126) {
      length = ((wire.get() & 0xFF) << 8) | (wire.get() & 0xFF);
      assertTrue(length >= 126, "minimal 16-bit length");
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | (wire.get() & 0xFF);
      }
      assertTrue(length > 0xFFFF, "minimal 64-bit length");
    }
    byte[] key = new byte[4];
    wire.get(key);
    d.mask = ByteBuffer.wrap(key).getInt();
    d.payload = new byte[(int) length];
    for (int i = 0; i < length; i++) {
      d.payload[i] = (byte) (wire.get() ^ key[i % 4]);
    }
    d.size = wire.position() - start;
    return d;
  }

  private static ByteBuffer written(int opcode, boolean fin, boolean rsv1, byte[] payload, int mask) {
    ByteBuffer dst = ByteBuffer.allocate(FrameWriter.headerSize(payload.length) + payload.length);
    ByteBuffer src = ByteBuffer.wrap(payload);
    FrameWriter.write(opcode, fin, rsv1, src, mask, dst);
    assertFalse(src.hasRemaining(), "payload consumed");
    assertFalse(dst.hasRemaining(), "headerSize + payload is exactly what was written");
    return dst.flip();
  }

  @Test
  void rfc6455MaskedHello() {
    assertEquals(
        hex(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)),
        hex(written(WsOpcode.TEXT, true, false, utf8("Hello"), RFC_MASK)));
  }

  @Test
  void rfc6455MaskedPongWithHello() {
    assertEquals(
        hex(bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)),
        hex(written(WsOpcode.PONG, true, false, utf8("Hello"), RFC_MASK)));
  }

  @Test
  void headerSizeAtLengthBoundaries() {
    assertEquals(6, FrameWriter.headerSize(0));
    assertEquals(6, FrameWriter.headerSize(125));
    assertEquals(8, FrameWriter.headerSize(126));
    assertEquals(8, FrameWriter.headerSize(65535));
    assertEquals(14, FrameWriter.headerSize(65536));
    assertEquals(14, FrameWriter.headerSize(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> FrameWriter.headerSize(-1));
  }

  @Test
  void roundTripsEveryLengthUpTo300AndTheLongForms() {
    Random random = new Random(42);
    int[] lengths = new int[301 + 4];
    for (int i = 0; i <= 300; i++) {
      lengths[i] = i;
    }
    lengths[301] = 65535;
    lengths[302] = 65536;
    lengths[303] = 65537;
    lengths[304] = 100_003;
    for (int length : lengths) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      int mask = random.nextInt();
      boolean fin = random.nextBoolean();
      Decoded d = decode(written(WsOpcode.BINARY, fin, length % 2 == 0, payload, mask));
      assertArrayEquals(payload, d.payload, "length " + length);
      assertEquals(fin, d.fin);
      assertEquals(length % 2 == 0, d.rsv1);
      assertEquals(WsOpcode.BINARY, d.opcode);
      assertEquals(mask, d.mask);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void masksCorrectlyWhateverTheBuffersOffsetsOrderAndKind(int variant) {
    Random random = new Random(variant);
    for (int length = 0; length < 40; length++) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      int mask = random.nextInt();
      // The payload sits at an odd offset between junk; dst is offset too.
      byte[] padded = new byte[length + 10];
      Arrays.fill(padded, (byte) 0x55);
      System.arraycopy(payload, 0, padded, 5, length);
      ByteBuffer src = ByteBuffer.wrap(padded, 5, length);
      ByteBuffer dst =
          variant == 3 ? ByteBuffer.allocateDirect(200) : ByteBuffer.allocate(200);
      if (variant == 1) {
        src.order(ByteOrder.LITTLE_ENDIAN);
      } else if (variant == 2) {
        dst.order(ByteOrder.LITTLE_ENDIAN);
      } else if (variant == 3) {
        src.order(ByteOrder.LITTLE_ENDIAN);
        dst.order(ByteOrder.LITTLE_ENDIAN);
      }
      dst.position(7);
      FrameWriter.write(WsOpcode.TEXT, true, false, src, mask, dst);
      assertEquals(5 + length, src.position());
      dst.flip().position(7);
      Decoded d = decode(dst);
      assertArrayEquals(payload, d.payload, "length " + length);
      assertEquals(mask, d.mask);
      assertEquals(0x55, padded[4]);
      assertEquals(0x55, padded[5 + length]);
      byte[] after = new byte[length];
      System.arraycopy(padded, 5, after, 0, length);
      assertArrayEquals(payload, after, "the payload itself is not masked in place");
    }
  }

  @Test
  void writesInBigEndianWhateverTheDestinationOrder() {
    byte[] payload = new byte[300];
    ByteBuffer dst = ByteBuffer.allocate(400).order(ByteOrder.LITTLE_ENDIAN);
    FrameWriter.write(WsOpcode.BINARY, true, false, ByteBuffer.wrap(payload), 0x01020304, dst);
    dst.flip();
    assertEquals("82fe012c01020304", hex(dst).substring(0, 16));
    ByteBuffer big = ByteBuffer.allocate(70_100).order(ByteOrder.LITTLE_ENDIAN);
    FrameWriter.write(
        WsOpcode.BINARY, true, false, ByteBuffer.allocate(70_000), 0xA0B0C0D0, big);
    big.flip();
    assertEquals("82ff0000000000011170a0b0c0d0", hex(big).substring(0, 28));
  }

  @Test
  void aFragmentedMessageIsWrittenAsTheCallerSequencesIt() {
    ByteBuffer dst = ByteBuffer.allocate(64);
    FrameWriter.write(WsOpcode.TEXT, false, true, ByteBuffer.wrap(utf8("Hel")), 1, dst);
    FrameWriter.write(WsOpcode.PING, true, false, ByteBuffer.allocate(0), 2, dst);
    FrameWriter.write(WsOpcode.CONTINUATION, true, false, ByteBuffer.wrap(utf8("lo")), 3, dst);
    dst.flip();
    Decoded first = decode(dst);
    Decoded ping = decode(dst);
    Decoded last = decode(dst);
    assertEquals("TEXT false true Hel", describe(first));
    assertEquals("PING true false ", describe(ping));
    assertEquals("CONTINUATION true false lo", describe(last));
    assertFalse(dst.hasRemaining());
  }

  private static String describe(Decoded d) {
    return WsOpcode.name(d.opcode) + " " + d.fin + " " + d.rsv1 + " " + new String(d.payload,
        java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void rejectsInvalidControlFramesAndOpcodes() {
    ByteBuffer dst = ByteBuffer.allocate(300);
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameWriter.write(WsOpcode.PING, false, false, ByteBuffer.allocate(1), 0, dst));
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameWriter.write(WsOpcode.CLOSE, true, true, ByteBuffer.allocate(2), 0, dst));
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> FrameWriter.write(WsOpcode.PONG, true, false, ByteBuffer.allocate(126), 0, dst));
    assertTrue(tooLong.getMessage().contains("126 bytes"), tooLong.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameWriter.write(3, true, false, ByteBuffer.allocate(0), 0, dst));
    assertEquals(0, dst.position(), "nothing written");
  }

  @Test
  void aTooSmallDestinationGetsNothing() {
    ByteBuffer dst = ByteBuffer.allocate(FrameWriter.headerSize(10) + 9);
    ByteBuffer payload = ByteBuffer.allocate(10);
    assertThrows(
        BufferOverflowException.class,
        () -> FrameWriter.write(WsOpcode.BINARY, true, false, payload, 0, dst));
    assertEquals(0, dst.position());
    assertEquals(0, payload.position());
  }

  @Test
  void closePayloadCarriesCodeAndReason() {
    assertEquals("03e8627965", hex(FrameWriter.closePayload(1000, "bye")));
    assertEquals("0fa0", hex(FrameWriter.closePayload(4000, null)));
    assertEquals("03f1c3a9", hex(FrameWriter.closePayload(1009, "é")));
  }

  @Test
  void closeReasonIsLimitedTo123Utf8Bytes() {
    String max = "x".repeat(123);
    assertEquals(125, FrameWriter.closePayload(1000, max).remaining());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FrameWriter.closePayload(1000, max + "x"));
    assertTrue(e.getMessage().contains("124 UTF-8 bytes"), e.getMessage());
    // 62 two-byte characters: 62 chars but 124 bytes.
    assertThrows(IllegalArgumentException.class, () -> FrameWriter.closePayload(1000, "é".repeat(62)));
    assertEquals(124, FrameWriter.closePayload(1000, "é".repeat(61)).remaining());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535, -1})
  void closePayloadRejectsCodesThatMayNotBeSent(int code) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.closePayload(code, ""));
    assertTrue(e.getMessage().contains(Integer.toString(code)), e.getMessage());
  }

  @Test
  void closePayloadFitsAControlFrame() {
    ByteBuffer dst = ByteBuffer.allocate(200);
    FrameWriter.write(
        WsOpcode.CLOSE, true, false, FrameWriter.closePayload(3000, "x".repeat(123)), 9, dst);
    Decoded d = decode(dst.flip());
    assertEquals(125, d.payload.length);
  }
}
