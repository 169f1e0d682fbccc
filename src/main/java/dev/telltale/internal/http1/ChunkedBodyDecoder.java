package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The chunked transfer coding (RFC 9112 §7.1): {@code chunk-size [ext] CRLF data CRLF}, repeated,
 * then {@code 0 [ext] CRLF}, trailer fields and an empty line.
 *
 * <p>Framing is consumed one byte at a time by a small state machine, so a chunk line, CRLF or
 * trailer split across reads needs no buffering of its own; chunk data is never copied, only
 * reported. Only trailer lines are copied (into an array allocated when the first trailer byte
 * arrives, bounded by {@code maxTrailerBytes}), because they become Strings.
 *
 * <p>Leniency, each one a kindness RFC 9112 allows a recipient: a bare LF ends a line (§2.2),
 * whitespace may follow the size (BWS of §7.1.1), and extensions are skipped unread (§7.1.1 says
 * recipients ignore unrecognized ones). Everything else is strict, because chunk framing errors are
 * how request smuggling and response splitting start.
 */
public final class ChunkedBodyDecoder implements BodyDecoder {
  /** The most hex digits a chunk size may have: 16 digits already span the whole of a long. */
  public static final int MAX_SIZE_DIGITS = 16;

  /** The most bytes one chunk-size line (size, extensions, CRLF) may take. */
  public static final int MAX_CHUNK_LINE_BYTES = 4096;

  /** Default limit for the trailer section, final empty line included. */
  public static final int DEFAULT_MAX_TRAILER_BYTES = 16 * 1024;

  private enum State {
    /** In the hex digits of a chunk size. */
    SIZE,
    /** After the digits, in BWS before extensions or the line end. */
    SIZE_WHITESPACE,
    /** In chunk extensions, which are skipped up to the line end. */
    EXTENSION,
    /** A CR ended the chunk-size line; a LF must follow. */
    SIZE_LF,
    /** In chunk data: the caller consumes it. */
    DATA,
    /** After chunk data: CRLF (or a bare LF) must follow. */
    DATA_CR,
    /** After chunk data and its CR: a LF must follow. */
    DATA_LF,
    /** In the trailer section, after the last chunk. */
    TRAILER,
    /** The trailer section ended; nothing more belongs to this body. */
    DONE
  }

  private final int maxTrailerBytes;
  private State state = State.SIZE;
  private int sizeDigits;
  private long size;
  private int lineBytes;
  private long chunkRemaining;

  private byte[] trailer;
  private int trailerLength;
  private int trailerLineStart;
  private int trailerBytes;
  private boolean trailerCr;
  private FieldList trailerFields;

  /**
   * Creates a decoder.
   *
   * @param maxTrailerBytes the most bytes the trailer section may take, final empty line included
   */
  public ChunkedBodyDecoder(int maxTrailerBytes) {
    if (maxTrailerBytes < 2) {
      throw new IllegalArgumentException("trailer limit below 2 bytes: " + maxTrailerBytes);
    }
    this.maxTrailerBytes = maxTrailerBytes;
  }

  @Override
  public int available(ByteBuffer src) throws ProtocolViolation {
    int pos = src.position();
    int limit = src.limit();
    while (pos < limit && state != State.DATA && state != State.DONE) {
      step(src.get(pos++));
    }
    src.position(pos);
    return state == State.DATA ? (int) Math.min(limit - pos, chunkRemaining) : 0;
  }

  @Override
  public void consumed(int n) {
    if (n == 0) {
      return;
    }
    if (state != State.DATA || n < 0 || n > chunkRemaining) {
      throw new IllegalArgumentException(
          "consumed " + n + " bytes, " + (state == State.DATA ? chunkRemaining : 0) + " available");
    }
    chunkRemaining -= n;
    if (chunkRemaining == 0) {
      state = State.DATA_CR;
    }
  }

  @Override
  public boolean isComplete() {
    return state == State.DONE;
  }

  @Override
  public void endOfInput() throws ProtocolViolation {
    if (state == State.TRAILER) {
      throw new ProtocolViolation(
          ProtocolViolation.Kind.TRUNCATED, "chunked body truncated in the trailer section");
    }
    if (state != State.DONE) {
      throw new ProtocolViolation(
          ProtocolViolation.Kind.TRUNCATED, "chunked body truncated before the last chunk");
    }
  }

  @Override
  public long remaining() {
    return -1;
  }

  @Override
  public boolean closeDelimited() {
    return false;
  }

  /**
   * Trailer field names in wire order, parallel to {@link #trailerValues()}; empty until complete.
   */
  public List<String> trailerNames() {
    return trailerFields == null ? List.of() : FieldList.names(trailerFields.toArray());
  }

  /** Trailer field values, trimmed of OWS, parallel to {@link #trailerNames()}. */
  public List<String> trailerValues() {
    return trailerFields == null ? List.of() : FieldList.values(trailerFields.toArray());
  }

  private void step(byte b) throws ProtocolViolation {
    switch (state) {
      case SIZE:
      case SIZE_WHITESPACE:
      case EXTENSION:
      case SIZE_LF:
        if (++lineBytes > MAX_CHUNK_LINE_BYTES) {
          throw ProtocolViolation.malformed(
              "chunk line exceeds " + MAX_CHUNK_LINE_BYTES + " bytes");
        }
        sizeLine(b);
        break;
      case DATA_CR:
        if (b == '\r') {
          state = State.DATA_LF;
        } else if (b == '\n') {
          state = State.SIZE;
        } else {
          throw ProtocolViolation.malformed("missing CRLF after chunk data");
        }
        break;
      case DATA_LF:
        if (b != '\n') {
          throw ProtocolViolation.malformed("missing CRLF after chunk data");
        }
        state = State.SIZE;
        break;
      case TRAILER:
        trailerByte(b);
        break;
      default:
        throw new IllegalStateException(state.name());
    }
  }

  private void sizeLine(byte b) throws ProtocolViolation {
    if (state == State.SIZE_LF) {
      if (b != '\n') {
        throw ProtocolViolation.malformed("bare CR in chunk line");
      }
      endSizeLine();
    } else if (b == '\n') {
      checkSize();
      endSizeLine();
    } else if (b == '\r') {
      checkSize();
      state = State.SIZE_LF;
    } else if (state == State.EXTENSION) {
      return; // RFC 9112 §7.1.1: a recipient ignores extensions it does not understand
    } else if (state == State.SIZE && Ascii.hexValue(b) >= 0) {
      // Past 16 digits the value is meaningless; keep counting so the message reports the length.
      size = (size << 4) | Ascii.hexValue(b);
      sizeDigits++;
    } else if (Ascii.isWhitespace(b)) {
      checkSize();
      state = State.SIZE_WHITESPACE;
    } else if (b == ';') {
      checkSize();
      state = State.EXTENSION;
    } else {
      throw ProtocolViolation.malformed(
          sizeDigits == 0
              ? "invalid chunk size: expected a hex digit"
              : "invalid chunk size: unexpected character after the hex digits");
    }
  }

  /** Validates the digits read so far; called once they end (idempotent). */
  private void checkSize() throws ProtocolViolation {
    if (sizeDigits == 0) {
      throw ProtocolViolation.malformed("invalid chunk size: no hex digits");
    }
    if (sizeDigits > MAX_SIZE_DIGITS) {
      throw ProtocolViolation.malformed("chunk size too long: " + sizeDigits + " hex digits");
    }
    if (size < 0) {
      throw ProtocolViolation.malformed("chunk size too large: exceeds 2^63-1 bytes");
    }
  }

  private void endSizeLine() {
    chunkRemaining = size;
    state = size == 0 ? State.TRAILER : State.DATA;
    size = 0;
    sizeDigits = 0;
    lineBytes = 0;
  }

  /**
   * Copies one trailer byte. Line terminators are not stored, so an absent trailer section (the
   * usual case: just the empty line) allocates nothing.
   */
  private void trailerByte(byte b) throws ProtocolViolation {
    if (++trailerBytes > maxTrailerBytes) {
      throw new ProtocolViolation(
          ProtocolViolation.Kind.HEADER_SIZE_OVERFLOW,
          "trailer section exceeds " + maxTrailerBytes + " bytes");
    }
    if (b == '\n') {
      trailerCr = false;
      endTrailerLine();
    } else if (trailerCr) {
      throw FieldLines.bareCr("trailer");
    } else if (b == '\r') {
      trailerCr = true;
    } else {
      if (trailer == null) {
        trailer = new byte[Math.min(256, maxTrailerBytes)];
      } else if (trailerLength == trailer.length) {
        trailer = Arrays.copyOf(trailer, Math.min(maxTrailerBytes, trailer.length * 2));
      }
      trailer[trailerLength++] = b;
    }
  }

  private void endTrailerLine() throws ProtocolViolation {
    if (trailerLength == trailerLineStart) {
      state = State.DONE;
      return;
    }
    if (trailerFields == null) {
      trailerFields = new FieldList(2);
    }
    FieldLines.parse(
        trailer,
        trailerLineStart,
        trailerLength,
        trailerFields,
        Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT,
        "trailer");
    trailerLineStart = trailerLength;
  }

  @Override
  public String toString() {
    return "chunked, " + state.name().toLowerCase(Locale.ROOT);
  }
}
