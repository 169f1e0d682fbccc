package dev.telltale.internal.http1;

import static dev.telltale.internal.http1.ResponseReader.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedBodyDecoderTest {
  private static final String HEAD = crlf("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "", "");
  private static final String NEXT = crlf("HTTP/1.1 204 No Content", "", "");

  private final ResponseReader reader = new ResponseReader();

  @Test
  void chunkedBodySplitAtEveryByte() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(HEAD + crlf("5", "hello", "7", ", world", "0", "", "") + NEXT);
    assertEquals("hello, world", r.body());
    assertEquals(NEXT, r.leftover());
    assertTrue(r.decoder.isComplete());
    assertEquals(-1, r.decoder.remaining());
    assertFalse(r.decoder.closeDelimited());
  }

  @Test
  void extensionsAreSkippedAndTrailersParsed() throws Exception {
    ResponseReader.Result r =
        reader.readAllWays(
            HEAD
                + crlf(
                    "4;name=value",
                    "Wiki",
                    "5 ; a=\"quoted;=\" ;b",
                    "pedia",
                    "0;last",
                    "Checksum:  abc ",
                    "x-more: 1",
                    "  folded",
                    "",
                    "")
                + NEXT);
    assertEquals("Wikipedia", r.body());
    ChunkedBodyDecoder chunked = (ChunkedBodyDecoder) r.decoder;
    assertEquals(List.of("Checksum", "x-more"), chunked.trailerNames());
    assertEquals(List.of("abc", "1 folded"), chunked.trailerValues());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void bareLfEndsChunkLines() throws Exception {
    ResponseReader.Result r = reader.readAllWays(HEAD + "3\nabc\n2;x\r\nde\r\n0\nT: v\n\n" + NEXT);
    assertEquals("abcde", r.body());
    assertEquals(List.of("v"), ((ChunkedBodyDecoder) r.decoder).trailerValues());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void zeroLengthChunkedBody() throws Exception {
    ResponseReader.Result r = reader.readAllWays(HEAD + crlf("0", "", "") + NEXT);
    assertEquals("", r.body());
    assertEquals(List.of(), ((ChunkedBodyDecoder) r.decoder).trailerNames());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void whitespaceAfterTheSizeIsAccepted() throws Exception {
    assertEquals("ab", reader.readAllWays(HEAD + crlf("2 \t", "ab", "0  ;x", "", "")).body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1A2", "1a2", "01a2", "0000000000001A2"})
  void largeChunkSizesInEitherCase(String size) throws Exception {
    String data = "x".repeat(0x1a2 - 1) + "!";
    ResponseReader.Result r = reader.readAllWays(HEAD + crlf(size, data, "0", "", "") + NEXT);
    assertEquals(data, r.body());
    assertEquals(NEXT, r.leftover());
  }

  @Test
  void sixteenHexDigitsUpToLongMaxAreAccepted() throws Exception {
    ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(100);
    ByteBuffer src = ascii("7FFFFFFFFFFFFFFF\r\nabc");
    assertEquals(3, decoder.available(src));
    assertEquals(18, src.position());
    assertEquals(3, decoder.available(src), "reported bytes stay until the caller takes them");
    src.position(src.position() + 3);
    decoder.consumed(3);
    assertEquals(0, decoder.available(src));
    assertFalse(decoder.isComplete());
  }

  @Test
  void chunkSizeBeyondLongMaxIsMalformed() {
    assertViolation("8000000000000000\r\n", Kind.MALFORMED, "chunk size too large");
  }

  @Test
  void seventeenHexDigitsAreTooLong() {
    assertViolation(
        HEAD + crlf("00000000000000001", "a", "0", "", ""),
        Kind.MALFORMED,
        "chunk size too long: 17 hex digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"g", "-1", "+1", "0x1", ";ext"})
  void chunkSizeWithoutHexDigitsIsMalformed(String size) {
    assertViolation(HEAD + crlf(size, "a", "0", "", ""), Kind.MALFORMED, "invalid chunk size");
  }

  @Test
  void emptyChunkSizeIsMalformed() {
    assertViolation(
        HEAD + crlf("", "a", "0", "", ""), Kind.MALFORMED, "invalid chunk size: no hex digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1g", "1 2", "1 a", "1,"})
  void junkAfterTheSizeIsMalformed(String size) {
    assertViolation(
        HEAD + crlf(size, "a", "0", "", ""),
        Kind.MALFORMED,
        "invalid chunk size: unexpected character after the hex digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3\r\nabcX\r\n0\r\n\r\n", "3\r\nabc\rX0\r\n\r\n", "3\r\nabcd\r\n"})
  void missingCrlfAfterChunkDataIsMalformed(String body) {
    assertViolation(HEAD + body, Kind.MALFORMED, "missing CRLF after chunk data");
  }

  @Test
  void bareCrInChunkLineIsMalformed() {
    assertViolation(HEAD + "3;a\rb\r\nabc\r\n0\r\n\r\n", Kind.MALFORMED, "bare CR in chunk line");
  }

  @Test
  void chunkLineAtItsLimitPasses() throws Exception {
    String line = "1;" + "e".repeat(ChunkedBodyDecoder.MAX_CHUNK_LINE_BYTES - 4);
    ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(100);
    assertEquals(1, decoder.available(ascii(line + "\r\nz")));
  }

  @Test
  void chunkLineOverItsLimitIsMalformed() {
    String line = "1;" + "e".repeat(ChunkedBodyDecoder.MAX_CHUNK_LINE_BYTES - 3);
    ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(100);
    ProtocolViolation e =
        assertThrows(ProtocolViolation.class, () -> decoder.available(ascii(line + "\r\nz")));
    assertEquals("chunk line exceeds 4096 bytes", e.getMessage());
  }

  @Test
  void trailerSectionAtItsLimitPasses() throws Exception {
    reader.maxTrailerBytes = "Trailer: 12\r\n\r\n".length();
    ResponseReader.Result r = reader.readAllWays(HEAD + crlf("0", "Trailer: 12", "", ""));
    assertEquals(List.of("12"), ((ChunkedBodyDecoder) r.decoder).trailerValues());
  }

  @Test
  void trailerSectionBelowItsLimitPasses() throws Exception {
    reader.maxTrailerBytes = "Trailer: 12\r\n\r\n".length() + 1;
    assertTrue(reader.readAllWays(HEAD + crlf("0", "Trailer: 12", "", "")).decoder.isComplete());
  }

  @Test
  void trailerSectionOverItsLimitOverflows() {
    reader.maxTrailerBytes = "Trailer: 12\r\n\r\n".length() - 1;
    assertViolation(
        HEAD + crlf("0", "Trailer: 12", "", ""),
        Kind.HEADER_SIZE_OVERFLOW,
        "trailer section exceeds 14 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad Name: 1", "NoColon", "X: a\u0001"})
  void malformedTrailerLineIsMalformed(String line) {
    assertViolation(HEAD + crlf("0", line, "", ""), Kind.MALFORMED, "trailer");
  }

  @Test
  void bareCrInTrailerIsMalformed() {
    assertViolation(HEAD + "0\r\nX: 1\rY\r\n\r\n", Kind.MALFORMED, "bare CR in trailer line");
  }

  @Test
  void endOfInputInTrailersIsTruncated() {
    reader.eof = true;
    assertViolation(
        HEAD + crlf("0", "X: 1", ""),
        Kind.TRUNCATED,
        "chunked body truncated in the trailer section");
  }

  @Test
  void endOfInputBetweenChunksIsTruncated() {
    reader.eof = true;
    assertViolation(
        HEAD + crlf("2", "ab", ""), Kind.TRUNCATED, "chunked body truncated before the last chunk");
  }

  @Test
  void consumingMoreThanAvailableIsRejected() throws Exception {
    ChunkedBodyDecoder decoder = new ChunkedBodyDecoder(100);
    assertThrows(IllegalArgumentException.class, () -> decoder.consumed(1));
    assertEquals(2, decoder.available(ascii("2\r\nab")));
    assertThrows(IllegalArgumentException.class, () -> decoder.consumed(3));
    decoder.consumed(0);
    decoder.consumed(2);
    assertThrows(IllegalArgumentException.class, () -> decoder.consumed(1));
  }

  @Test
  void encoderOutputDecodesToTheSameBytes() throws Exception {
    ByteBuffer wire = ByteBuffer.allocate(4096);
    for (String part : List.of("a", "0123456789abcdef!", "x".repeat(300))) {
      for (ByteBuffer b : ChunkedBodyEncoder.frame(ascii(part))) {
        wire.put(b);
      }
    }
    wire.put(ChunkedBodyEncoder.lastChunk()).flip();
    String encoded = StandardCharsets.ISO_8859_1.decode(wire).toString();
    ResponseReader.Result r = reader.readAllWays(HEAD + encoded);
    assertEquals("a0123456789abcdef!" + "x".repeat(300), r.body());
    assertTrue(r.decoder.isComplete());
  }

  private void assertViolation(String wire, Kind kind, String message) {
    ProtocolViolation e =
        wire.startsWith("HTTP/")
            ? reader.failAllWays(wire)
            : assertThrows(
                ProtocolViolation.class, () -> new ChunkedBodyDecoder(100).available(ascii(wire)));
    assertSame(kind, e.kind());
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
