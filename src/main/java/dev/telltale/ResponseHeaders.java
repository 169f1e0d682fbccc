package dev.telltale;

import dev.telltale.internal.HeadersAccess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An immutable view of a received response head: status line and header fields. It is what {@code
 * WinHttpQueryHeaders} reads, returned by {@code Request.receiveResponse()} and {@code
 * Request.queryHeaders()}.
 *
 * <table>
 *   <caption>WinHTTP queries and their equivalents</caption>
 *   <tr><th>WinHttpQueryHeaders level</th><th>here</th></tr>
 *   <tr><td>{@code WINHTTP_QUERY_STATUS_CODE}</td><td>{@link #statusCode()}</td></tr>
 *   <tr><td>{@code WINHTTP_QUERY_STATUS_TEXT}</td><td>{@link #reasonPhrase()}</td></tr>
 *   <tr><td>{@code WINHTTP_QUERY_VERSION}</td><td>{@link #version()}</td></tr>
 *   <tr><td>{@code WINHTTP_QUERY_CUSTOM} (with an index)</td>
 *       <td>{@link #firstValue(String)}, {@link #values(String)}</td></tr>
 *   <tr><td>{@code WINHTTP_QUERY_CONTENT_LENGTH | WINHTTP_QUERY_FLAG_NUMBER}</td>
 *       <td>{@link #contentLength()}</td></tr>
 *   <tr><td>{@code WINHTTP_QUERY_RAW_HEADERS_CRLF}</td><td>{@link #raw()}</td></tr>
 * </table>
 *
 * <p>Names match case-insensitively. Where WinHTTP returns {@code ERROR_WINHTTP_HEADER_NOT_FOUND},
 * these methods return an empty {@code Optional} or list. Field values are kept exactly as received
 * (without surrounding whitespace) and never split on commas. {@link #toString()} shows the status
 * line and field count only, never values, which may be secrets (cookies, tokens).
 */
public final class ResponseHeaders {
  private final String version;
  private final int statusCode;
  private final String reasonPhrase;
  /** {@code [name0, value0, name1, value1, ...]}; never modified (may be the parsed head's own). */
  private final String[] fields;
  private final String raw;
  private Map<String, List<String>> map; // built on first use; immutable once built

  private ResponseHeaders(
      String version,
      int statusCode,
      String reasonPhrase,
      String[] fields,
      String raw) {
    this.version = version;
    this.statusCode = statusCode;
    this.reasonPhrase = reasonPhrase;
    this.fields = fields;
    this.raw = raw;
  }

  static {
    // the engine builds these from parsed heads without copying their fields (see HeadersAccess)
    HeadersAccess.register(ResponseHeaders::new);
  }

  /**
   * Creates a response head. The engine builds these from the bytes received; it is public so that
   * tests can build them too.
   *
   * @param version the protocol version of the status line, e.g. {@code "HTTP/1.1"}
   * @param statusCode the three-digit status code, 100 to 999
   * @param reasonPhrase the reason phrase, possibly empty
   * @param namesAndValues the fields in order as a flat list {@code [name0, value0, name1, value1,
   *     ...]}; repeated names are separate fields; copied
   * @param raw the head as received: status line and fields, each line ending in CRLF, then the
   *     empty line; if null, a block is built from the other arguments
   * @return the response head
   * @throws NullPointerException if {@code version}, {@code reasonPhrase}, the list or an element
   *     is null
   * @throws IllegalArgumentException if the status code is out of range or the list has odd size
   */
  public static ResponseHeaders of(
      String version,
      int statusCode,
      String reasonPhrase,
      List<String> namesAndValues,
      String raw) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(reasonPhrase, "reasonPhrase");
    if (statusCode < 100 || statusCode > 999) {
      throw new IllegalArgumentException("statusCode not in 100..999: " + statusCode);
    }
    int size = namesAndValues.size();
    if (size % 2 != 0) {
      throw new IllegalArgumentException("namesAndValues has odd size: " + size);
    }
    String[] fields = new String[size];
    for (int i = 0; i < size; i++) {
      fields[i] = Objects.requireNonNull(namesAndValues.get(i), i % 2 == 0 ? "header name" : "header value");
    }
    if (raw == null) {
      raw = synthesizeRaw(version, statusCode, reasonPhrase, fields);
    }
    return new ResponseHeaders(version, statusCode, reasonPhrase, fields, raw);
  }

  /**
   * Returns the status code ({@code WINHTTP_QUERY_STATUS_CODE}), e.g. 200.
   *
   * @return the status code
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * Returns the reason phrase ({@code WINHTTP_QUERY_STATUS_TEXT}), e.g. {@code "OK"}; may be empty.
   *
   * @return the reason phrase
   */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  /**
   * Returns the protocol version of the status line ({@code WINHTTP_QUERY_VERSION}), e.g. {@code
   * "HTTP/1.1"}.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * Returns the value of the first field with the given name, ignoring case.
   *
   * @param name a field name such as {@code "Content-Type"}
   * @return the value, or empty if there is no such field
   */
  public Optional<String> firstValue(String name) {
    Objects.requireNonNull(name, "name");
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        return Optional.of(fields[i + 1]);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the values of every field with the given name, ignoring case, in the order received.
   * Each field is one element; a comma-separated value is not split.
   *
   * @param name a field name such as {@code "Set-Cookie"}
   * @return an unmodifiable list, empty if there is no such field
   */
  public List<String> values(String name) {
    Objects.requireNonNull(name, "name");
    List<String> found = null;
    for (int i = 0; i < fields.length; i += 2) {
      if (fields[i].equalsIgnoreCase(name)) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(fields[i + 1]);
      }
    }
    return found == null ? List.of() : Collections.unmodifiableList(found);
  }

  /**
   * Returns all fields as a map from name to values. Lookups ignore case; each key is spelled as in
   * the first field with that name; keys iterate in case-insensitive alphabetical order; values are
   * in the order received.
   *
   * @return an unmodifiable map with unmodifiable value lists
   */
  public Map<String, List<String>> map() {
    Map<String, List<String>> m = map;
    if (m == null) {
      TreeMap<String, List<String>> tree = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 0; i < fields.length; i += 2) {
        tree.computeIfAbsent(fields[i], k -> new ArrayList<>(1)).add(fields[i + 1]);
      }
      tree.replaceAll((k, v) -> Collections.unmodifiableList(v));
      m = Collections.unmodifiableMap(tree);
      map = m; // racy but safe: the wrapper's final field publishes the fully built tree
    }
    return m;
  }

  /**
   * Returns the body length declared by {@code Content-Length} ({@code WINHTTP_QUERY_CONTENT_LENGTH
   * | WINHTTP_QUERY_FLAG_NUMBER}).
   *
   * <p>Empty if there is no such field, or if any value is not a non-negative decimal number that
   * fits a {@code long}, or if the values disagree. Repeated identical values ({@code "42"} twice,
   * or {@code "42, 42"}) count as one, as RFC 9110 allows.
   *
   * @return the declared length, or empty
   */
  public OptionalLong contentLength() {
    long length = -1;
    for (int i = 0; i < fields.length; i += 2) {
      if (!fields[i].equalsIgnoreCase("Content-Length")) {
        continue;
      }
      String v = fields[i + 1];
      int start = 0;
      while (start <= v.length()) {
        int comma = v.indexOf(',', start);
        int end = comma < 0 ? v.length() : comma;
        long n = parseNonNegative(v, start, end);
        if (n < 0 || (length >= 0 && n != length)) {
          return OptionalLong.empty();
        }
        length = n;
        start = end + 1;
      }
    }
    return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
  }

  /**
   * Returns the head as received ({@code WINHTTP_QUERY_RAW_HEADERS_CRLF}): the status line and each
   * field line ending in CRLF, then an empty line.
   *
   * @return the raw head
   */
  public String raw() {
    return raw;
  }

  /**
   * Returns the number of header fields (repeated names counted each time).
   *
   * @return the field count
   */
  public int fieldCount() {
    return fields.length / 2;
  }

  /**
   * Returns the name of the field at the given position, as received.
   *
   * @param index 0 to {@link #fieldCount()} - 1
   * @return the field name
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public String fieldName(int index) {
    return fields[2 * Objects.checkIndex(index, fields.length / 2)];
  }

  /**
   * Returns the value of the field at the given position.
   *
   * @param index 0 to {@link #fieldCount()} - 1
   * @return the field value
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public String fieldValue(int index) {
    return fields[2 * Objects.checkIndex(index, fields.length / 2) + 1];
  }

  /**
   * Returns the status line and the field count, e.g. {@code HTTP/1.1 200 OK (5 fields)}; header
   * values are never included.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(version).append(' ').append(statusCode);
    if (!reasonPhrase.isEmpty()) {
      sb.append(' ').append(reasonPhrase);
    }
    int count = fields.length / 2;
    sb.append(" (").append(count).append(count == 1 ? " field)" : " fields)");
    return sb.toString();
  }

  /** Parses {@code s[start, end)} trimmed of spaces and tabs as a decimal long; -1 if invalid. */
  private static long parseNonNegative(String s, int start, int end) {
    while (start < end && isBlank(s.charAt(start))) {
      start++;
    }
    while (end > start && isBlank(s.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return -1;
    }
    long n = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int digit = c - '0';
      if (n > (Long.MAX_VALUE - digit) / 10) {
        return -1; // overflow
      }
      n = n * 10 + digit;
    }
    return n;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static String synthesizeRaw(
      String version, int statusCode, String reasonPhrase, String[] fields) {
    StringBuilder sb = new StringBuilder(version).append(' ').append(statusCode).append(' ');
    sb.append(reasonPhrase).append("\r\n");
    for (int i = 0; i < fields.length; i += 2) {
      sb.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }
}
