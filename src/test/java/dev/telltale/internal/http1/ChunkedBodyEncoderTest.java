package dev.telltale.internal.http1;

import static dev.telltale.internal.http1.Http1RequestWriterTest.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkedBodyEncoderTest {
  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "9, 9",
    "10, a",
    "15, f",
    "16, 10",
    "26, 1a",
    "255, ff",
    "256, 100",
    "65535, ffff",
    "2147483647, 7fffffff"
  })
  void chunkHeaderIsLowercaseHexAndCrlf(int length, String hex) {
    assertEquals(hex + "\r\n", latin1(ChunkedBodyEncoder.chunkHeader(length)));
  }

  @Test
  void nonPositiveChunkLengthIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ChunkedBodyEncoder.chunkHeader(0));
    assertThrows(IllegalArgumentException.class, () -> ChunkedBodyEncoder.chunkHeader(-1));
  }

  @Test
  void frameSurroundsTheDataWithoutCopyingIt() {
    ByteBuffer data =
        ByteBuffer.wrap("hello, chunked world!!!!!!".getBytes(StandardCharsets.US_ASCII));
    data.position(1);
    ByteBuffer[] frame = ChunkedBodyEncoder.frame(data);
    assertEquals(3, frame.length);
    assertEquals("19\r\n", latin1(frame[0]));
    assertSame(data, frame[1]);
    assertEquals(1, data.position());
    assertEquals("\r\n", latin1(frame[2]));
  }

  @Test
  void emptyDataProducesNoChunk() {
    assertEquals(0, ChunkedBodyEncoder.frame(ByteBuffer.allocate(0)).length);
  }

  @Test
  void lastChunkIsAFreshReadOnlyView() {
    ByteBuffer first = ChunkedBodyEncoder.lastChunk();
    assertEquals("0\r\n\r\n", latin1(first));
    assertTrue(first.isReadOnly());
    assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) '1'));
    first.position(first.limit());
    assertEquals(5, ChunkedBodyEncoder.lastChunk().remaining(), "views do not share a position");
    ByteBuffer crlf = ChunkedBodyEncoder.crlf();
    crlf.get();
    assertEquals(2, ChunkedBodyEncoder.crlf().remaining());
  }
}
