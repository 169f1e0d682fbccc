package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One parsed HTTP/1.x response head: status line and header fields, immutable.
 *
 * <p>Fields are kept in one flat array ({@code [name0, value0, name1, value1, ...]}) in wire order
 * with the server's spelling of names,
 * because {@code queryHeaders} must be able to return them exactly as received; lookups are
 * case-insensitive linear scans, which beat a map for the dozen fields a typical response has.
 * {@link #raw()} keeps the head byte for byte (ISO-8859-1) for the raw-headers query and for
 * tracing.
 */
public final class ResponseHead {
  /** The two versions the parser accepts. */
  public static final String HTTP_1_1 = "HTTP/1.1";

  /** HTTP/1.0: persistent only with {@code Connection: keep-alive}. */
  public static final String HTTP_1_0 = "HTTP/1.0";

  private final String version;
  private final int statusCode;
  private final String reasonPhrase;
  /** {@code [name0, value0, name1, value1, ...]}; never modified (shared with ResponseHeaders). */
  private final String[] fields;
  private final String raw;
  private final int headerBytes;
  private final boolean keepAlive;

  ResponseHead(
      String version,
      int statusCode,
      String reasonPhrase,
      String[] fields,
      String raw,
      int headerBytes) {
    this.version = version;
    this.statusCode = statusCode;
    this.reasonPhrase = reasonPhrase;
    this.fields = fields;
    this.raw = raw;
    this.headerBytes = headerBytes;
    this.keepAlive =
        HTTP_1_1.equals(version)
            ? !hasToken("Connection", "close")
            : hasToken("Connection", "keep-alive") && !hasToken("Connection", "close");
  }

  /** {@code "HTTP/1.1"} or {@code "HTTP/1.0"}. */
  public String version() {
    return version;
  }

  /** The three-digit status code, 100..999. */
  public int statusCode() {
    return statusCode;
  }

  /** The reason phrase, possibly empty; clients must not depend on it (RFC 9112 §4). */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  /** Number of header fields, counting repeated names separately. */
  public int fieldCount() {
    return fields.length / 2;
  }

  /** Name of field {@code i} in wire order, as the server spelled it. */
  public String fieldName(int i) {
    return fields[2 * Objects.checkIndex(i, fields.length / 2)];
  }

  /** Value of field {@code i}, without leading and trailing whitespace. */
  public String fieldValue(int i) {
    return fields[2 * Objects.checkIndex(i, fields.length / 2) + 1];
  }

  /** All field names in wire order, parallel to {@link #fieldValues()}; unmodifiable, built per call. */
  public List<String> fieldNames() {
    return FieldList.names(fields);
  }

  /** All field values in wire order, parallel to {@link #fieldNames()}; unmodifiable, built per call. */
  public List<String> fieldValues() {
    return FieldList.values(fields);
  }

  /**
   * The fields as one flat array {@code [name0, value0, ...]}: the head's own array, shared rather
   * than copied with the public {@code ResponseHeaders}; callers must not modify it.
   */
  public String[] sharedFields() {
    return fields;
  }

  /** The value of the first field called {@code name} (any case), or null if there is none. */
  public String firstValue(String name) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /**
   * The values of every field called {@code name} (any case), in wire order; may be empty;
   * unmodifiable. Allocates nothing when there is none (the common answer for most names asked).
   */
  public List<String> values(String name) {
    List<String> result = null;
    String single = null;
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        if (single == null) {
          single = fields[i + 1];
        } else {
          if (result == null) {
            result = new ArrayList<>(4);
            result.add(single);
          }
          result.add(fields[i + 1]);
        }
      }
    }
    return result != null ? Collections.unmodifiableList(result)
        : single != null ? List.of(single) : List.of();
  }

  /** Whether any field called {@code name} exists. */
  public boolean contains(String name) {
    return firstValue(name) != null;
  }

  /**
   * The head exactly as received, from the status line to the final empty line inclusive, decoded
   * as ISO-8859-1 so that every byte maps to one char.
   */
  public String raw() {
    return raw;
  }

  /** Bytes the head occupied on the wire, including the final empty line. */
  public int headerBytes() {
    return headerBytes;
  }

  /**
   * Whether this is a 1xx interim response, after which the final response follows. 101 Switching
   * Protocols is 1xx too, but after it the connection no longer speaks HTTP/1.1: the engine checks
   * for it before parsing another head.
   */
  public boolean isInterim() {
    return statusCode < 200;
  }

  /**
   * Whether the server allows the connection to be reused after this response (RFC 9112 §9.3):
   * HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}.
   * The body framing may still force a close (a close-delimited body).
   */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** Whether the server will close the connection after this response: {@code !keepAlive()}. */
  public boolean connectionClose() {
    return !keepAlive;
  }

  /**
   * Whether a field called {@code name} lists {@code token} (any case) among its comma-separated
   * elements, as {@code Connection} and {@code Transfer-Encoding} do.
   */
  public boolean hasToken(String name, String token) {
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name) && listContains(fields[i + 1], token)) {
        return true;
      }
    }
    return false;
  }

  /** Scans a {@code #token} list in place: no split, no regex, no substrings. */
  static boolean listContains(String list, String token) {
    int n = list.length();
    int i = 0;
    while (i < n) {
      int end = list.indexOf(',', i);
      if (end < 0) {
        end = n;
      }
      int from = i;
      int to = end;
      while (from < to && Ascii.isWhitespace(list.charAt(from))) {
        from++;
      }
      while (to > from && Ascii.isWhitespace(list.charAt(to - 1))) {
        to--;
      }
      if (to - from == token.length() && list.regionMatches(true, from, token, 0, to - from)) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }

  /** Status line and field count only: values may hold credentials and must not reach logs. */
  @Override
  public String toString() {
    return version + " " + statusCode + " (" + fieldCount() + " fields)";
  }
}
