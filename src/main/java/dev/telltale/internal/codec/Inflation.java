package dev.telltale.internal.codec;

import dev.telltale.internal.http1.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** The inflate step both codings share: java.util.zip's errors as the codec's one exception. */
final class Inflation {
  private Inflation() {}

  /** Inflates from {@code in} into {@code out}; {@code in}'s position advances by what was used. */
  static int inflate(Inflater inflater, ByteBuffer in, ByteBuffer out, String coding)
      throws ProtocolViolation {
    inflater.setInput(in);
    try {
      int n = inflater.inflate(out);
      if (n == 0 && inflater.needsDictionary()) {
        throw violation(coding + " stream needs a preset dictionary, which HTTP cannot supply");
      }
      return n;
    } catch (DataFormatException e) {
      throw violation("corrupt " + coding + " data: " + e.getMessage());
    }
  }

  static ProtocolViolation violation(String message) {
    return new ProtocolViolation(ProtocolViolation.Kind.MALFORMED, message);
  }
}
