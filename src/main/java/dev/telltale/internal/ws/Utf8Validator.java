package dev.telltale.internal.ws;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 validation (RFC 3629) for text messages whose bytes arrive in arbitrary pieces:
 * a multi-byte sequence may be split across fragments, frames, reads or inflate chunks.
 *
 * <p>Rejects everything RFC 3629 forbids: stray continuation bytes, C0/C1 and F5-FF lead bytes,
 * overlong forms (by narrowing the allowed range of the second byte after E0 and F0), UTF-16
 * surrogates (after ED) and code points above U+10FFFF (after F4). Runs of ASCII are skipped eight
 * bytes at a time, since most text is mostly ASCII. An error is sticky until {@link #reset()}.
 */
public final class Utf8Validator {
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Continuation bytes still expected for the current sequence; -1 after an error. */
  private int pending;
  /** The allowed range of the next continuation byte. */
  private int lower = 0x80;

  private int upper = 0xBF;

  /** Creates a validator at the start of a text. */
  public Utf8Validator() {}

  /**
   * Validates {@code b}'s remaining bytes as the next piece of the text, without moving its
   * position.
   *
   * @return false when the text so far is not a prefix of any valid UTF-8 (now or earlier)
   */
  public boolean feed(ByteBuffer b) {
    if (pending < 0) {
      return false;
    }
    int i = b.position();
    int end = b.limit();
    int need = pending;
    int lo = lower;
    int hi = upper;
    while (i < end) {
      if (need == 0) {
        // Skip ASCII a long at a time: any byte with its high bit set ends the fast path. The mask
        // has the same bit in every byte, so the buffer's byte order does not matter.
        while (i + 8 <= end && (b.getLong(i) & HIGH_BITS) == 0) {
          i += 8;
        }
        if (i >= end) {
          break;
        }
        int c = b.get(i++) & 0xFF;
        if (c < 0x80) {
          continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
          need = 1;
          lo = 0x80;
          hi = 0xBF;
        } else if (c >= 0xE0 && c <= 0xEF) {
          need = 2;
          // E0 A0..BF excludes overlong 3-byte forms; ED 80..9F excludes the surrogates.
          lo = c == 0xE0 ? 0xA0 : 0x80;
          hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
          need = 3;
          // F0 90..BF excludes overlong 4-byte forms; F4 80..8F stops at U+10FFFF.
          lo = c == 0xF0 ? 0x90 : 0x80;
          hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
          pending = -1;
          return false;
        }
      } else {
        int c = b.get(i++) & 0xFF;
        if (c < lo || c > hi) {
          pending = -1;
          return false;
        }
        need--;
        lo = 0x80;
        hi = 0xBF;
      }
    }
    pending = need;
    lower = lo;
    upper = hi;
    return true;
  }

  /** Whether everything fed so far is valid and ends on a character boundary: a complete text. */
  public boolean complete() {
    return pending == 0;
  }

  /**
   * A validator in this one's state: feeding the copy tries a piece without committing to it (a
   * refused send must leave the message's validation where it was).
   */
  public Utf8Validator copy() {
    Utf8Validator copy = new Utf8Validator();
    copy.pending = pending;
    copy.lower = lower;
    copy.upper = upper;
    return copy;
  }

  /** Starts over for a new text, clearing any error. */
  public void reset() {
    pending = 0;
    lower = 0x80;
    upper = 0xBF;
  }
}
