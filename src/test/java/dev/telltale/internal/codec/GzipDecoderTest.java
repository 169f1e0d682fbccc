package dev.telltale.internal.codec;

import static dev.telltale.internal.codec.CodecFixtures.concat;
import static dev.telltale.internal.codec.CodecFixtures.decode;
import static dev.telltale.internal.codec.CodecFixtures.gzip;
import static dev.telltale.internal.codec.CodecFixtures.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.internal.http1.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class GzipDecoderTest {
  private static final byte[] DATA = text(100_000);

  @Test
  void wholeBodyAtOnce() throws Exception {
    assertArrayEquals(DATA, decode(new GzipDecoder(), gzip(DATA), Integer.MAX_VALUE, 64 * 1024));
  }

  @Test
  void oneByteAtATimeIntoSmallBuffers() throws Exception {
    assertArrayEquals(DATA, decode(new GzipDecoder(), gzip(DATA), 1, 7));
  }

  @Test
  void oneByteOutputBuffer() throws Exception {
    byte[] small = text(3000);
    assertArrayEquals(small, decode(new GzipDecoder(), gzip(small), 100, 1));
  }

  @Test
  void splitAtEveryPoint() throws Exception {
    byte[] small = text(500);
    byte[] encoded = gzip(small);
    for (int split = 1; split < encoded.length; split++) {
      GzipDecoder decoder = new GzipDecoder();
      ByteArrayOutputStream result = new ByteArrayOutputStream();
      ByteBuffer out = ByteBuffer.allocate(1024);
      decoder.decode(ByteBuffer.wrap(encoded, 0, split), out);
      decoder.decode(ByteBuffer.wrap(encoded, split, encoded.length - split), out);
      decoder.endOfBody();
      decoder.release();
      result.write(out.array(), 0, out.position());
      assertArrayEquals(small, result.toByteArray(), "split at " + split);
    }
  }

  @Test
  void optionalHeaderFieldsAreSkippedAndTheHeaderCrcChecked() throws Exception {
    byte[] body = withOptionalFields(gzip(DATA), true);
    assertArrayEquals(DATA, decode(new GzipDecoder(), body, 3, 1000));
  }

  @Test
  void wrongHeaderCrcIsRejected() {
    byte[] body = withOptionalFields(gzip(DATA), true);
    int hcrc = 10 + 2 + 4 + "name.txt".length() + 1 + "comment".length() + 1;
    body[hcrc] ^= 1;
    assertEquals("gzip header CRC16 mismatch", assertThrows(ProtocolViolation.class,
        () -> decode(new GzipDecoder(), body, 4096, 4096)).getMessage());
  }

  @Test
  void severalMembersDecodeAsOneBody() throws Exception {
    byte[] a = text(1000);
    byte[] b = "second member".getBytes();
    byte[] both = decode(new GzipDecoder(), concat(gzip(a), gzip(b)), 13, 100);
    assertArrayEquals(concat(a, b), both);
  }

  @Test
  void emptyBodyIsEmpty() throws Exception {
    assertArrayEquals(new byte[0], decode(new GzipDecoder(), new byte[0], 1, 1));
  }

  @Test
  void corruptDataIsRejected() throws Exception {
    byte[] body = gzip(DATA);
    body[20] ^= 0x55;
    ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> decode(new GzipDecoder(), body, 4096, 4096));
    assertTrue(v.getMessage().startsWith("corrupt gzip data") || v.getMessage().contains("CRC-32"),
        v.getMessage());
  }

  @Test
  void crcMismatchIsRejected() throws Exception {
    byte[] body = gzip(DATA);
    body[body.length - 8] ^= 1;
    assertEquals("gzip CRC-32 mismatch: the decoded data is damaged", assertThrows(ProtocolViolation.class,
        () -> decode(new GzipDecoder(), body, 4096, 4096)).getMessage());
  }

  @Test
  void isizeMismatchIsRejected() throws Exception {
    byte[] body = gzip(DATA);
    body[body.length - 1] ^= 1;
    assertTrue(assertThrows(ProtocolViolation.class, () -> decode(new GzipDecoder(), body, 4096, 4096))
        .getMessage().startsWith("gzip ISIZE mismatch"));
  }

  @Test
  void badMagicMethodAndFlagsAreRejected() {
    assertEquals("not a gzip member: the magic bytes 1f 8b are missing", assertThrows(ProtocolViolation.class,
        () -> decode(new GzipDecoder(), "plain text, not gzip".getBytes(), 100, 100)).getMessage());
    byte[] method = gzip(DATA);
    method[2] = 7;
    assertThrows(ProtocolViolation.class, () -> decode(new GzipDecoder(), method, 100, 100));
    byte[] flags = gzip(DATA);
    flags[3] = (byte) 0x20;
    assertThrows(ProtocolViolation.class, () -> decode(new GzipDecoder(), flags, 100, 100));
  }

  @Test
  void truncatedStreamIsRejectedAtTheEndOfTheBody() throws Exception {
    byte[] body = gzip(DATA);
    for (int cut : new int[] {5, 10, body.length / 2, body.length - 4, body.length - 1}) {
      byte[] truncated = Arrays.copyOf(body, cut);
      ProtocolViolation v = assertThrows(ProtocolViolation.class,
          () -> decode(new GzipDecoder(), truncated, 4096, 4096), "cut at " + cut);
      assertTrue(v.getMessage().startsWith("gzip stream truncated"), v.getMessage());
    }
  }

  @Test
  void garbageAfterAMemberIsRejected() {
    byte[] body = concat(gzip(text(100)), new byte[] {0, 0, 0});
    assertThrows(ProtocolViolation.class, () -> decode(new GzipDecoder(), body, 4096, 4096));
  }

  /** Rebuilds the member with FEXTRA, FNAME, FCOMMENT (and FHCRC) set. */
  static byte[] withOptionalFields(byte[] member, boolean headerCrc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(member, 0, 3);
    out.write(0x04 | 0x08 | 0x10 | (headerCrc ? 0x02 : 0));
    out.write(member, 4, 6);
    out.write(4);
    out.write(0);
    out.write(new byte[] {'a', 'b', 'c', 'd'}, 0, 4);
    out.writeBytes("name.txt\0".getBytes());
    out.writeBytes("comment\0".getBytes());
    if (headerCrc) {
      CRC32 crc = new CRC32();
      crc.update(out.toByteArray());
      out.write((int) crc.getValue() & 0xff);
      out.write((int) (crc.getValue() >> 8) & 0xff);
    }
    out.write(member, 10, member.length - 10);
    return out.toByteArray();
  }
}
