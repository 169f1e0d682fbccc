package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;

/**
 * Parses one field line ({@code name ":" OWS value OWS}, RFC 9112 §5) into a {@link FieldList}. Shared by the response head and the chunked trailer section so both apply the same rules.
 *
 * <p>Lines arrive with their terminator already stripped. Names keep their original case; values
 * are trimmed of OWS and decoded as ISO-8859-1, so obs-text survives byte for byte. The one String
 * per name and per value is the only allocation.
 */
final class FieldLines {
  private FieldLines() {}

  /**
   * Parses {@code buf[start, end)}, which is non-empty, and appends the field to {@code fields}. A line that starts with SP or HTAB is an obs-fold: RFC 9112 §5.2 lets a user
   * agent replace it with a space and keep the text, which is kinder than failing the request.
   *
   * @param section "header" or "trailer", for messages
   */
  static void parse(
      byte[] buf,
      int start,
      int end,
      FieldList fields,
      int maxCount,
      String section)
      throws ProtocolViolation {
    if (Ascii.isWhitespace(buf[start])) {
      unfold(buf, start, end, fields, section);
      return;
    }
    int colon = start;
    while (colon < end && Ascii.isTchar(buf[colon])) {
      colon++;
    }
    if (colon == end || buf[colon] != ':') {
      throw badName(buf, start, colon, end, section);
    }
    if (colon == start) {
      throw ProtocolViolation.malformed("empty " + section + " field name");
    }
    if (fields.count() == maxCount) {
      throw new ProtocolViolation(
          ProtocolViolation.Kind.HEADER_COUNT_EXCEEDED,
          "response has more than " + maxCount + " " + section + " fields");
    }
    fields.add(KnownStrings.of(buf, start, colon - start), value(buf, colon + 1, end, section));
  }

  private static void unfold(
      byte[] buf, int start, int end, FieldList fields, String section) throws ProtocolViolation {
    // A fold with nothing to continue is whitespace between the start line and the first field:
    // RFC 9112 §2.2 says to reject it, because the line could be read as part of the start line.
    if (fields.count() == 0) {
      throw ProtocolViolation.malformed("whitespace before the first " + section + " field line");
    }
    String continuation = value(buf, start, end, section);
    if (continuation.isEmpty()) {
      return;
    }
    String previous = fields.lastValue();
    fields.setLastValue(previous.isEmpty() ? continuation : previous + ' ' + continuation);
  }

  /** Trims OWS from {@code buf[from, end)} and checks the rest is field-vchar, SP or HTAB. */
  private static String value(byte[] buf, int from, int end, String section)
      throws ProtocolViolation {
    while (from < end && Ascii.isWhitespace(buf[from])) {
      from++;
    }
    while (end > from && Ascii.isWhitespace(buf[end - 1])) {
      end--;
    }
    for (int i = from; i < end; i++) {
      int c = buf[i] & 0xFF;
      if (Ascii.isControlExceptTab(c)) {
        throw c == '\r'
            ? bareCr(section)
            : ProtocolViolation.malformed("control character in " + section + " field value");
      }
    }
    return KnownStrings.of(buf, from, end - from);
  }

  /** Explains why {@code buf[start, stop)} is not followed by a colon, without echoing the line. */
  private static ProtocolViolation badName(
      byte[] buf, int start, int stop, int end, String section) {
    boolean hasColon = false;
    for (int i = stop; i < end && !hasColon; i++) {
      hasColon = buf[i] == ':';
    }
    if (!hasColon) {
      return ProtocolViolation.malformed(section + " field line without colon");
    }
    int c = buf[stop];
    if (c == '\r') {
      return bareCr(section);
    }
    if (Ascii.isWhitespace(c)) {
      return ProtocolViolation.malformed("whitespace between " + section + " field name and colon");
    }
    return ProtocolViolation.malformed(
        "invalid character in " + section + " field name at offset " + (stop - start));
  }

  static ProtocolViolation bareCr(String section) {
    return ProtocolViolation.malformed("bare CR in " + section + " line");
  }
}
