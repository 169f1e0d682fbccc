package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/**
 * {@code Content-Encoding: gzip} (RFC 1952), streamed: the member header (with FEXTRA, FNAME,
 * FCOMMENT and its FHCRC checked), the raw deflate data through an {@link Inflater}, and the
 * trailer whose CRC-32 and ISIZE must match what was produced. Several members in a row decode as
 * one body (§2.2); anything else after a member is an error. Header parts arriving split across
 * calls are collected in a 10-byte scratch array, so nothing grows with the input.
 */
final class GzipDecoder implements ContentDecoder {
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;
  private static final int RESERVED = 0xe0;

  private enum State { HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DATA, TRAILER, MEMBER_END }

  private final Inflater inflater = new Inflater(true);
  private final CRC32 headerCrc = new CRC32();
  private final CRC32 dataCrc = new CRC32();
  private final byte[] scratch = new byte[10];
  private int scratchBytes;
  private State state = State.HEADER;
  private int flags;
  private int extraRemaining;
  private long size;
  private boolean outputPending;
  private boolean sawInput;

  @Override
  public int decode(ByteBuffer in, ByteBuffer out) throws ProtocolViolation {
    sawInput |= in.hasRemaining();
    int produced = 0;
    outputPending = false;
    while (true) {
      switch (state) {
        case HEADER -> {
          if (!collect(in, 10, true)) {
            return produced;
          }
          checkFixedHeader();
          state = State.EXTRA_LENGTH;
        }
        case EXTRA_LENGTH -> {
          if ((flags & FEXTRA) != 0) {
            if (!collect(in, 2, true)) {
              return produced;
            }
            extraRemaining = (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8;
          }
          state = State.EXTRA;
        }
        case EXTRA -> {
          while (extraRemaining > 0 && in.hasRemaining()) {
            headerCrc.update(in.get());
            extraRemaining--;
          }
          if (extraRemaining > 0) {
            return produced;
          }
          state = State.NAME;
        }
        case NAME -> {
          if ((flags & FNAME) != 0 && !skipZeroTerminated(in)) {
            return produced;
          }
          state = State.COMMENT;
        }
        case COMMENT -> {
          if ((flags & FCOMMENT) != 0 && !skipZeroTerminated(in)) {
            return produced;
          }
          state = State.HEADER_CRC;
        }
        case HEADER_CRC -> {
          if ((flags & FHCRC) != 0) {
            if (!collect(in, 2, false)) {
              return produced;
            }
            int expected = (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8;
            if (expected != (int) (headerCrc.getValue() & 0xffff)) {
              throw Inflation.violation("gzip header CRC16 mismatch");
            }
          }
          state = State.DATA;
        }
        case DATA -> {
          if (!out.hasRemaining()) {
            outputPending = true;
            return produced;
          }
          int start = out.position();
          int n = Inflation.inflate(inflater, in, out, "gzip");
          ByteBuffer written = out.duplicate();
          written.position(start).limit(start + n);
          dataCrc.update(written);
          size += n;
          produced += n;
          if (inflater.finished()) {
            state = State.TRAILER;
          } else if (n == 0 || !out.hasRemaining()) {
            outputPending = !out.hasRemaining();
            return produced; // needs input, or the caller's buffer is full
          }
        }
        case TRAILER -> {
          if (!collect(in, 8, false)) {
            return produced;
          }
          checkTrailer();
          state = State.MEMBER_END;
        }
        case MEMBER_END -> {
          if (!in.hasRemaining()) {
            return produced;
          }
          startMember();
        }
        default -> throw new IllegalStateException(state.name());
      }
    }
  }

  private void checkFixedHeader() throws ProtocolViolation {
    if ((scratch[0] & 0xff) != 0x1f || (scratch[1] & 0xff) != 0x8b) {
      throw Inflation.violation("not a gzip member: the magic bytes 1f 8b are missing");
    }
    if (scratch[2] != 8) {
      throw Inflation.violation("gzip compression method " + (scratch[2] & 0xff) + " is not deflate (8)");
    }
    flags = scratch[3] & 0xff;
    if ((flags & RESERVED) != 0) {
      throw Inflation.violation("gzip header has reserved flag bits set: 0x" + Integer.toHexString(flags));
    }
  }

  private void checkTrailer() throws ProtocolViolation {
    long crc = (scratch[0] & 0xffL) | (scratch[1] & 0xffL) << 8 | (scratch[2] & 0xffL) << 16
        | (scratch[3] & 0xffL) << 24;
    long isize = (scratch[4] & 0xffL) | (scratch[5] & 0xffL) << 8 | (scratch[6] & 0xffL) << 16
        | (scratch[7] & 0xffL) << 24;
    if (crc != dataCrc.getValue()) {
      throw Inflation.violation("gzip CRC-32 mismatch: the decoded data is damaged");
    }
    if (isize != (size & 0xffffffffL)) {
      throw Inflation.violation("gzip ISIZE mismatch: trailer says " + isize + " bytes, decoded "
          + (size & 0xffffffffL) + " (mod 2^32)");
    }
  }

  private void startMember() {
    state = State.HEADER;
    inflater.reset();
    headerCrc.reset();
    dataCrc.reset();
    size = 0;
    flags = 0;
  }

  /**
   * Collects {@code n} bytes into the scratch array across calls; true once all are there (the
   * counter then restarts). {@code header}: they count towards the header CRC.
   */
  private boolean collect(ByteBuffer in, int n, boolean header) {
    int take = Math.min(n - scratchBytes, in.remaining());
    in.get(scratch, scratchBytes, take);
    if (header) {
      headerCrc.update(scratch, scratchBytes, take);
    }
    scratchBytes += take;
    if (scratchBytes < n) {
      return false;
    }
    scratchBytes = 0;
    return true;
  }

  /** Skips through a zero byte (FNAME, FCOMMENT); true once it was found. */
  private boolean skipZeroTerminated(ByteBuffer in) {
    while (in.hasRemaining()) {
      byte b = in.get();
      headerCrc.update(b);
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean outputPending() {
    return outputPending;
  }

  @Override
  public void endOfBody() throws ProtocolViolation {
    boolean empty = !sawInput;
    if (!empty && state != State.MEMBER_END) {
      throw Inflation.violation("gzip stream truncated: the body ended in the member's "
          + state.name().toLowerCase().replace('_', ' '));
    }
  }

  @Override
  public void release() {
    inflater.end();
  }
}
