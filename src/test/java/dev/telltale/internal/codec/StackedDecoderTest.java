package dev.telltale.internal.codec;

import static dev.telltale.internal.codec.CodecFixtures.deflate;
import static dev.telltale.internal.codec.CodecFixtures.gzip;
import static dev.telltale.internal.codec.CodecFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.internal.http1.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stacked content codings (RFC 9110 §8.4: listed in the order applied), undone last to first. */
class StackedDecoderTest {
  /** Feeds {@code encoded} in pieces of {@code piece} bytes into outputs of {@code room} bytes. */
  static byte[] decodeAll(ContentDecoder decoder, byte[] encoded, int piece, int room) throws ProtocolViolation {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    ByteBuffer out = ByteBuffer.allocate(room);
    for (int at = 0; at < encoded.length; at += piece) {
      ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(encoded, at, Math.min(encoded.length, at + piece)));
      do {
        decoder.decode(in, out.clear());
        result.write(out.array(), 0, out.position());
      } while (in.hasRemaining() || decoder.outputPending());
    }
    ByteBuffer none = ByteBuffer.allocate(0);
    while (decoder.outputPending()) {
      decoder.decode(none, out.clear());
      result.write(out.array(), 0, out.position());
    }
    decoder.endOfBody();
    decoder.release();
    return result.toByteArray();
  }

  @ParameterizedTest(name = "{0} bytes, pieces of {1}, room {2}")
  @CsvSource({"0, 1, 1", "1, 1, 1", "100000, 1, 7", "100000, 4096, 1", "300000, 65536, 100000", "300000, 7, 65536"})
  void gzipThenDeflateIsUndoneDeflateFirst(int size, int piece, int room) throws Exception {
    byte[] plain = text(size);
    byte[] encoded = deflate(gzip(plain), false); // Content-Encoding: gzip, deflate
    ContentDecoder decoder = ContentDecoder.forFields(List.of("gzip, deflate"), true, true);
    assertArrayEquals(plain, decodeAll(decoder, encoded, piece, room));
  }

  @Test
  void threeCodingsAcrossFieldsWithIdentityBetween() throws Exception {
    byte[] plain = text(50_000);
    byte[] encoded = gzip(deflate(gzip(plain), true));
    ContentDecoder decoder = ContentDecoder.forFields(List.of("gzip", "identity, deflate", "x-gzip"), true, true);
    assertArrayEquals(plain, decodeAll(decoder, encoded, 1000, 333));
  }

  @Test
  void theInnerStreamCutShortFailsAtTheEnd() throws Exception {
    byte[] inner = gzip(text(20_000));
    byte[] encoded = deflate(Arrays.copyOf(inner, inner.length - 5), false); // gzip trailer cut
    ContentDecoder decoder = ContentDecoder.forFields(List.of("gzip, deflate"), true, true);
    assertThrows(ProtocolViolation.class, () -> decodeAll(decoder, encoded, 512, 512));
  }

  @Test
  void garbageAfterTheInnerStreamFails() throws Exception {
    byte[] encoded = gzip(CodecFixtures.concat(deflate(text(1000), false), new byte[] {1, 2, 3}));
    ContentDecoder decoder = ContentDecoder.forFields(List.of("deflate, gzip"), true, true);
    assertThrows(ProtocolViolation.class, () -> decodeAll(decoder, encoded, 512, 512));
  }

  @Test
  void nothingIsPendingBeforeAnyInput() {
    ContentDecoder decoder = ContentDecoder.forFields(List.of("gzip, deflate"), true, true);
    assertFalse(decoder.outputPending());
    decoder.release();
  }
}
