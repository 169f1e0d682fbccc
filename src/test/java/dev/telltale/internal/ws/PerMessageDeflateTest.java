package dev.telltale.internal.ws;

import static dev.telltale.internal.ws.Wire.bytes;
import static dev.telltale.internal.ws.Wire.concat;
import static dev.telltale.internal.ws.Wire.frame;
import static dev.telltale.internal.ws.Wire.hex;
import static dev.telltale.internal.ws.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateTest {
  private static final byte[] HELLO_COMPRESSED = bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);

  private final List<PerMessageDeflate> toEnd = new ArrayList<>();

  @AfterEach
  void end() {
    toEnd.forEach(PerMessageDeflate::end);
  }

  private PerMessageDeflate negotiated(String header) throws WsProtocolException {
    PerMessageDeflate d = PerMessageDeflate.negotiate(header);
    assertNotNull(d, header);
    toEnd.add(d);
    return d;
  }

  /** Inflates one message given as frame payloads; checks last=true comes exactly at the end. */
  private static String inflate(PerMessageDeflate d, long max, byte[]... frames)
      throws WsProtocolException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] lasts = {0};
    for (int i = 0; i < frames.length; i++) {
      ByteBuffer payload = ByteBuffer.wrap(frames[i]);
      boolean fin = i == frames.length - 1;
      d.inflate(
          payload,
          fin,
          max,
          (chunk, last) -> {
            assertFalse(lasts[0] > 0, "output after last");
            byte[] b = Wire.copy(chunk);
            out.write(b, 0, b.length);
            if (last) {
              lasts[0]++;
            }
          });
      assertFalse(payload.hasRemaining(), "input consumed");
    }
    assertEquals(1, lasts[0], "last exactly once");
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String compress(PerMessageDeflate d, String message) {
    ByteBuffer in = ByteBuffer.wrap(utf8(message));
    ByteBuffer out = d.compress(in);
    assertFalse(in.hasRemaining());
    return hex(out);
  }

  @Test
  void offerAsksOnlyForWhatJavaCanDo() {
    assertEquals("permessage-deflate; client_max_window_bits", PerMessageDeflate.offer());
  }

  @Test
  void rfc7692HelloCompressesAndInflates() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals(hex(HELLO_COMPRESSED), compress(d, "Hello"));
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
  }

  @Test
  void rfc7692HelloInTwoFrames() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals("Hello", inflate(d, 100, bytes(0xf2, 0x48, 0xcd), bytes(0xc9, 0xc9, 0x07, 0x00)));
  }

  @Test
  void rfc7692ContextTakeoverSharesTheWindowAcrossMessages() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals(hex(HELLO_COMPRESSED), compress(d, "Hello"));
    assertEquals("f200110000", compress(d, "Hello"), "second Hello refers back to the first");
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
    assertEquals("Hello", inflate(d, 100, bytes(0xf2, 0x00, 0x11, 0x00, 0x00)));
  }

  @Test
  void clientNoContextTakeoverCompressesEachMessageAlone() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate; client_no_context_takeover");
    assertTrue(d.clientNoContextTakeover());
    assertFalse(d.serverNoContextTakeover());
    assertEquals(hex(HELLO_COMPRESSED), compress(d, "Hello"));
    assertEquals(hex(HELLO_COMPRESSED), compress(d, "Hello"));
  }

  @Test
  void serverNoContextTakeoverResetsTheInflaterPerMessage() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate; server_no_context_takeover");
    assertTrue(d.serverNoContextTakeover());
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
    // A back-reference into the previous message must now fail: the window was dropped.
    WsProtocolException e =
        assertThrows(
            WsProtocolException.class,
            () -> inflate(d, 100, bytes(0xf2, 0x00, 0x11, 0x00, 0x00)));
    assertEquals(1007, e.closeCode());
  }

  @Test
  void withContextTakeoverTheSameBackReferenceWorks() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
    assertEquals("Hello", inflate(d, 100, bytes(0xf2, 0x00, 0x11, 0x00, 0x00)));
  }

  @Test
  void rfc7692NoCompressionStoredBlock() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals(
        "Hello",
        inflate(d, 100, bytes(0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f)));
  }

  @Test
  void rfc7692BfinalBlockEndsTheStreamAndTheNextMessageStartsANewOne() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals("Hello", inflate(d, 100, bytes(0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00)));
    assertEquals("Hello", inflate(d, 100, bytes(0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00)));
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
  }

  @Test
  void rfc7692TwoDeflateBlocksInOneMessage() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals(
        "Hello",
        inflate(
            d,
            100,
            bytes(0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00)));
  }

  @Test
  void rfc7692EmptyMessageIsASingleZeroByte() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertEquals("00", compress(d, ""));
    assertEquals("", inflate(d, 100, bytes(0x00)));
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
  }

  @Test
  void invalidDeflateDataIsInvalidPayload() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    WsProtocolException e =
        assertThrows(WsProtocolException.class, () -> inflate(d, 100, bytes(0xff, 0xff, 0xff)));
    assertEquals(1007, e.closeCode());
    assertTrue(e.getMessage().startsWith("compressed message is not valid DEFLATE data"), e.getMessage());
  }

  @Test
  void roundTripsRandomMessagesWithAndWithoutContextTakeover() throws Exception {
    for (String params : new String[] {"", "; client_no_context_takeover; server_no_context_takeover"}) {
      PerMessageDeflate sender = negotiated("permessage-deflate" + params);
      PerMessageDeflate receiver = negotiated("permessage-deflate" + params);
      Random random = new Random(params.length());
      for (int i = 0; i < 50; i++) {
        byte[] message = new byte[random.nextInt(3) == 0 ? random.nextInt(100_000) : random.nextInt(300)];
        // Half random (incompressible), half repetitive.
        for (int k = 0; k < message.length; k++) {
          message[k] = (byte) (random.nextBoolean() ? random.nextInt(256) : 'a' + k % 7);
        }
        ByteBuffer compressed = sender.compress(ByteBuffer.wrap(message));
        // Play it as the server would send it: in frames of random size.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
          int n = Math.min(compressed.remaining(), 1 + random.nextInt(5000));
          ByteBuffer piece = compressed.slice();
          piece.limit(n);
          compressed.position(compressed.position() + n);
          boolean fin = !compressed.hasRemaining();
          receiver.inflate(piece, fin, Long.MAX_VALUE, (chunk, last) -> {
            byte[] b = Wire.copy(chunk);
            out.write(b, 0, b.length);
          });
          if (fin) {
            break;
          }
        }
        assertEquals(hex(message), hex(out.toByteArray()), "message " + i + params);
      }
    }
  }

  @Test
  void aDecompressionBombFailsFastAndAllocatesLittle() throws Exception {
    // 64 MiB of zeros deflate to about 64 KiB.
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int i = 0; i < 64; i++) {
      deflater.setInput(zeros);
      int n;
      while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
        bomb.write(buf, 0, n);
        if (n < buf.length) {
          break;
        }
      }
    }
    deflater.end();
    byte[] compressed = bomb.toByteArray();
    assertTrue(compressed.length < 1 << 18, "bomb is small: " + compressed.length);

    PerMessageDeflate d = negotiated("permessage-deflate");
    long limit = 1 << 20;
    long[] delivered = {0};
    List<ByteBuffer> chunks = new ArrayList<>();
    WsProtocolException e =
        assertThrows(
            WsProtocolException.class,
            () ->
                d.inflate(
                    ByteBuffer.wrap(compressed),
                    true,
                    limit,
                    (chunk, last) -> {
                      delivered[0] += chunk.remaining();
                      if (chunks.isEmpty() || chunks.get(chunks.size() - 1) != chunk) {
                        chunks.add(chunk);
                      }
                    }));
    assertEquals(1009, e.closeCode());
    assertEquals(
        "compressed message inflates to more than the limit of 1048576 bytes", e.getMessage());
    assertTrue(delivered[0] <= limit, "never delivered past the limit: " + delivered[0]);
    assertTrue(delivered[0] > limit - (64 << 10), "delivered up to about the limit: " + delivered[0]);
    // Every chunk came from one small reused buffer: the output was never gathered in memory.
    assertEquals(1, chunks.size(), "one output buffer");
    assertTrue(chunks.get(0).capacity() <= 16 << 10, "capacity " + chunks.get(0).capacity());
  }

  @Test
  void theOutputLimitCountsTheWholeMessageAcrossFrames() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    ByteBuffer compressed = negotiated("permessage-deflate").compress(ByteBuffer.wrap(new byte[1000]));
    byte[] all = Wire.copy(compressed);
    int half = all.length / 2;
    byte[] first = java.util.Arrays.copyOfRange(all, 0, half);
    byte[] second = java.util.Arrays.copyOfRange(all, half, all.length);
    assertEquals(1000, inflate(d, 1000, first, second).length());
    WsProtocolException e =
        assertThrows(WsProtocolException.class, () -> inflate(d, 999, first, second));
    assertEquals(1009, e.closeCode());
  }

  // ---- negotiation

  @Test
  void negotiationAbsentOrDeclined() throws Exception {
    assertNull(PerMessageDeflate.negotiate(null));
    assertNull(PerMessageDeflate.negotiate(""));
    assertNull(PerMessageDeflate.negotiate("  "));
  }

  @Test
  void negotiationAcceptsTheParametersAServerMaySend() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate");
    assertFalse(d.serverNoContextTakeover());
    assertFalse(d.clientNoContextTakeover());
    assertEquals(15, d.serverMaxWindowBits());
    d =
        negotiated(
            "Permessage-Deflate ;Server_No_Context_Takeover; client_no_context_takeover ;"
                + " server_max_window_bits=10; client_max_window_bits=15");
    assertTrue(d.serverNoContextTakeover());
    assertTrue(d.clientNoContextTakeover());
    assertEquals(10, d.serverMaxWindowBits());
    assertEquals(8, negotiated("permessage-deflate; server_max_window_bits=\"8\"").serverMaxWindowBits());
    assertEquals(15, negotiated(", permessage-deflate ,").serverMaxWindowBits());
  }

  @Test
  void aServerWindowSmallerThan15IsInflatedFine() throws Exception {
    PerMessageDeflate d = negotiated("permessage-deflate; server_max_window_bits=9");
    assertEquals("Hello", inflate(d, 100, HELLO_COMPRESSED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x-webkit-deflate-frame",
        "permessage-deflate, permessage-deflate",
        "permessage-deflate, x-foo",
        "permessage-deflate; foo",
        "permessage-deflate; foo=1",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
        "permessage-deflate; client_max_window_bits=15; client_max_window_bits=15",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=true",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=1a",
        "permessage-deflate; server_max_window_bits=",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; client_max_window_bits=14",
        "permessage-deflate; client_max_window_bits=8",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate;",
        "permessage-deflate; ; server_no_context_takeover",
        "permessage-deflate; =15",
      })
  void negotiationRejects(String header) {
    WsProtocolException e =
        assertThrows(WsProtocolException.class, () -> PerMessageDeflate.negotiate(header));
    assertEquals(1002, e.closeCode());
  }

  @Test
  void negotiationMessagesNameTheProblem() {
    assertEquals(
        "server demands client_max_window_bits=12, but java.util.zip.Deflater always uses a 15-bit"
            + " window",
        message("permessage-deflate; client_max_window_bits=12"));
    assertEquals(
        "server accepted extension \"x-foo\", which was not offered", message("x-foo; a=1"));
    assertEquals(
        "permessage-deflate parameter server_max_window_bits appears more than once",
        message("permessage-deflate; server_max_window_bits=9; server_max_window_bits=9"));
    assertEquals(
        "permessage-deflate parameter server_max_window_bits=20 is not a window size of 8..15",
        message("permessage-deflate; server_max_window_bits=20"));
    assertEquals(
        "server sent unknown permessage-deflate parameter \"mystery\"",
        message("permessage-deflate; mystery"));
  }

  private static String message(String header) {
    return assertThrows(WsProtocolException.class, () -> PerMessageDeflate.negotiate(header))
        .getMessage();
  }

  // ---- through the frame reader and message assembler

  @Test
  void compressedMessagesThroughTheCodecEveryWay() {
    Player player = new Player().deflate("permessage-deflate");
    byte[] wire =
        concat(
            frame(0xC1, HELLO_COMPRESSED),
            frame(0x41, bytes(0xf2, 0x00)),
            frame(true, WsOpcode.PING, bytes(1)),
            frame(0x80, bytes(0x11, 0x00, 0x00)),
            frame(true, WsOpcode.TEXT, utf8("plain")),
            frame(0xC2, bytes(0x00)));
    assertEquals(
        List.of("TEXT Hello", "PING 01", "TEXT Hello", "TEXT plain", "BINARY "),
        player.messageWays(wire));
  }

  @Test
  void utf8IsCheckedAcrossInflateChunks() throws Exception {
    // 40000 three-byte characters: 120000 bytes, so sequences straddle the 16 KiB output chunks.
    String text = "€".repeat(40_000) + "end";
    PerMessageDeflate sender = negotiated("permessage-deflate");
    byte[] payload = Wire.copy(sender.compress(ByteBuffer.wrap(utf8(text))));
    Player player = new Player().deflate("permessage-deflate");
    assertEquals(List.of("TEXT " + text), player.messageWays(frame(0xC1, payload)));
  }

  @Test
  void invalidUtf8InsideACompressedTextIsInvalidPayload() throws Exception {
    PerMessageDeflate sender = negotiated("permessage-deflate");
    byte[] payload = Wire.copy(sender.compress(ByteBuffer.wrap(bytes(0x41, 0xed, 0xa0, 0x80))));
    Player player = new Player().deflate("permessage-deflate");
    assertEquals(
        "text message is not valid UTF-8", player.messageFailure(frame(0xC1, payload), 1007));
  }

  @Test
  void aCompressedMessageOverTheLimitIsTooBig() throws Exception {
    PerMessageDeflate sender = negotiated("permessage-deflate");
    byte[] payload = Wire.copy(sender.compress(ByteBuffer.wrap(new byte[5000])));
    Player player = new Player().deflate("permessage-deflate").maxMessageSize(4999);
    assertEquals(
        "compressed message inflates to more than the limit of 4999 bytes",
        player.messageFailure(frame(0xC2, payload), 1009));
    player.maxMessageSize(5000);
    assertEquals(List.of("BINARY " + hex(new byte[5000])), player.messageWays(frame(0xC2, payload)));
  }

  @Test
  void corruptCompressedDataIsInvalidPayloadThroughTheCodec() {
    Player player = new Player().deflate("permessage-deflate");
    player.messageFailure(frame(0xC1, bytes(0xff, 0xff)), 1007);
  }
}
