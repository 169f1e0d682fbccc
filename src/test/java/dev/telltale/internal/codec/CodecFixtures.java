package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Encoded test bodies, and a driver that feeds a decoder in pieces of a chosen size. */
final class CodecFixtures {
  private CodecFixtures() {}

  /** Text that compresses, with some randomness so it spans several deflate blocks. */
  static byte[] text(int size) {
    Random random = new Random(42);
    StringBuilder s = new StringBuilder();
    while (s.length() < size) {
      s.append("line ").append(random.nextInt(1000)).append(" of the body\n");
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** zlib-wrapped ({@code nowrap} false) or raw deflate. */
  static byte[] deflate(byte[] data, boolean nowrap) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, nowrap);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /**
   * Feeds {@code encoded} in pieces of {@code inStep} bytes into output buffers of
   * {@code outStep} bytes, as the engine does, then ends the body; returns the decoded bytes.
   */
  static byte[] decode(ContentDecoder decoder, byte[] encoded, int inStep, int outStep)
      throws ProtocolViolation {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    ByteBuffer out = ByteBuffer.allocate(outStep);
    int offset = 0;
    try {
      while (offset < encoded.length || decoder.outputPending()) {
        int end = Math.min(encoded.length, offset + inStep);
        ByteBuffer in = ByteBuffer.wrap(encoded, offset, end - offset);
        do {
          out.clear();
          decoder.decode(in, out);
          result.write(out.array(), 0, out.position());
        } while (in.hasRemaining() || decoder.outputPending());
        offset = end;
      }
      decoder.endOfBody();
    } finally {
      decoder.release();
    }
    return result.toByteArray();
  }
}
