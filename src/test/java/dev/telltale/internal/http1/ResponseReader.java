package dev.telltale.internal.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays response bytes into the codec the way the engine does: each read arrives as its own buffer,
 * heads go to the parser (again after a 1xx), body bytes are copied out after {@code available()},
 * and whatever follows a complete body is left alone. Each slice sits between junk bytes, so code
 * that indexes from 0 instead of {@code position()}, or reads past {@code limit()}, fails.
 *
 * <p>{@link #readAllWays} and {@link #failAllWays} run a case whole, with a one-byte-at-a-time
 * consumer, one byte per read, and split at every point into two reads, and require identical
 * results.
 */
final class ResponseReader {
  private static final int PAD = 3;

  String method = "GET";
  int maxHeaderBytes = Http1ResponseParser.DEFAULT_MAX_HEADER_BYTES;
  int maxHeaderCount = Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT;
  int maxTrailerBytes = ChunkedBodyDecoder.DEFAULT_MAX_TRAILER_BYTES;

  /** Whether the connection ends after the bytes, so {@code endOfInput()} is called. */
  boolean eof;

  /** What one reading produced. */
  static final class Result {
    final List<ResponseHead> heads = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final ByteArrayOutputStream leftover = new ByteArrayOutputStream();
    BodyDecoder decoder;

    ResponseHead head() {
      return heads.get(heads.size() - 1);
    }

    String body() {
      return body.toString(StandardCharsets.ISO_8859_1);
    }

    String leftover() {
      return leftover.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything observable, to compare ways of reading. */
    String summary() {
      StringBuilder s = new StringBuilder();
      for (ResponseHead h : heads) {
        s.append(h.raw()).append(h.fieldNames()).append(h.fieldValues()).append(h.reasonPhrase());
      }
      s.append("|body=").append(body()).append("|left=").append(leftover());
      s.append("|complete=").append(decoder != null && decoder.isComplete());
      if (decoder instanceof ChunkedBodyDecoder) {
        ChunkedBodyDecoder chunked = (ChunkedBodyDecoder) decoder;
        s.append("|trailers=").append(chunked.trailerNames()).append(chunked.trailerValues());
      }
      return s.toString();
    }
  }

  /** Joins lines with CRLF: {@code crlf("HTTP/1.1 200 OK", "", "body")}. */
  static String crlf(String... lines) {
    return String.join("\r\n", lines);
  }

  ResponseReader method(String m) {
    method = m;
    return this;
  }

  ResponseReader eof() {
    eof = true;
    return this;
  }

  /** Reads {@code wire} every way, asserts the ways agree and returns the whole-buffer result. */
  Result readAllWays(String wire) throws ProtocolViolation {
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    Result whole = read(bytes, new int[0], Integer.MAX_VALUE);
    String expected = whole.summary();
    assertEquals(expected, read(bytes, new int[0], 1).summary(), "one body byte per consume");
    assertEquals(
        expected,
        read(bytes, everyByte(bytes.length), Integer.MAX_VALUE).summary(),
        "one byte per read");
    for (int cut = 1; cut < bytes.length; cut++) {
      assertEquals(
          expected, read(bytes, new int[] {cut}, Integer.MAX_VALUE).summary(), "split at " + cut);
    }
    return whole;
  }

  /** Asserts every way of reading {@code wire} fails the same way; returns the violation. */
  ProtocolViolation failAllWays(String wire) {
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    ProtocolViolation expected =
        assertThrows(ProtocolViolation.class, () -> read(bytes, new int[0], Integer.MAX_VALUE));
    List<int[]> ways = new ArrayList<>();
    ways.add(everyByte(bytes.length));
    for (int cut = 1; cut < bytes.length; cut++) {
      ways.add(new int[] {cut});
    }
    for (int[] cuts : ways) {
      ProtocolViolation actual =
          assertThrows(ProtocolViolation.class, () -> read(bytes, cuts, 1), () -> describe(cuts));
      assertEquals(expected.kind(), actual.kind(), describe(cuts));
      assertEquals(expected.getMessage(), actual.getMessage(), describe(cuts));
    }
    return expected;
  }

  /**
   * Reads {@code bytes} delivered in reads ending at each of {@code cuts} (and at the end), copying
   * at most {@code bite} body bytes per {@code available()} call.
   */
  Result read(byte[] bytes, int[] cuts, int bite) throws ProtocolViolation {
    Http1ResponseParser parser = new Http1ResponseParser(maxHeaderBytes, maxHeaderCount);
    Result result = new Result();
    boolean done = false;
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : bytes.length;
      ByteBuffer src = padded(bytes, from, to);
      int sliceEnd = PAD + to - from;
      from = to;
      if (done) {
        drain(src, result.leftover);
        continue;
      }
      while (result.decoder == null) {
        ResponseHead head = parser.parseHead(src);
        if (head == null) {
          break;
        }
        result.heads.add(head);
        if (!head.isInterim()) {
          result.decoder = Http1Framing.decoderFor(method, head, maxTrailerBytes);
        }
      }
      if (result.decoder != null) {
        int n;
        while ((n = result.decoder.available(src)) > 0) {
          assertTrue(n <= src.remaining(), "available beyond the buffer");
          int take = Math.min(n, bite);
          for (int k = 0; k < take; k++) {
            result.body.write(src.get());
          }
          result.decoder.consumed(take);
        }
        done = result.decoder.isComplete();
      }
      if (done) {
        drain(src, result.leftover);
      }
      assertEquals(0, src.remaining(), "unconsumed bytes before the body is complete");
      assertEquals(sliceEnd, src.limit(), "limit moved");
    }
    if (eof) {
      assertNotNull(result.decoder, "head incomplete at end of input");
      result.decoder.endOfInput();
    }
    return result;
  }

  private static void drain(ByteBuffer src, ByteArrayOutputStream out) {
    while (src.hasRemaining()) {
      out.write(src.get());
    }
  }

  private static ByteBuffer padded(byte[] bytes, int from, int to) {
    byte[] array = new byte[to - from + 2 * PAD];
    Arrays.fill(array, (byte) '#');
    System.arraycopy(bytes, from, array, PAD, to - from);
    return ByteBuffer.wrap(array, PAD, to - from);
  }

  private static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  private static String describe(int[] cuts) {
    return cuts.length == 1 ? "split at " + cuts[0] : "one byte per read";
  }
}
