package dev.telltale.internal.http1;

import dev.telltale.internal.util.Ascii;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser for HTTP/1.x response heads (RFC 9112 §2-§5): feed it whatever bytes arrived,
 * as often as needed, and it returns the {@link ResponseHead} once the final empty line is in.
 *
 * <p>Head bytes are copied into one array that grows up to {@code maxHeaderBytes}, so a head split
 * at any byte parses the same as a whole one and the caller can recycle its read buffer right
 * away. A head that arrives whole is assembled in the thread's scratch array (no allocation); only
 * a head split across calls gets an array of its own. The limit is enforced before copying, so a
 * server that never ends its head costs at most {@code maxHeaderBytes} of memory. Lines are found
 * by scanning the source with absolute {@code get(i)}; the other allocations are the head's text
 * (for {@code raw()}), one exact-size array of its fields, and one String per name, value and
 * reason phrase that is not a common constant ({@link KnownStrings}).
 *
 * <p>After returning a head the parser is ready for the next one: the final response after a 1xx,
 * or the next response on a reused connection. After a {@link ProtocolViolation} the connection is
 * unusable; call {@link #reset()} only if the parser itself is to be reused elsewhere. Not
 * thread-safe: one parser belongs to one connection, which belongs to one loop thread.
 */
public final class Http1ResponseParser {
  /** Default limit for a whole head, status line included. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

  /** Default limit for the number of header fields in one head. */
  public static final int DEFAULT_MAX_HEADER_COUNT = 256;

  private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
  private static final int INITIAL_CAPACITY = 512;

  /**
   * Per thread, where a head that arrives whole in one call is assembled: it is turned into its
   * strings before the call returns, so the parser needs no array of its own for it. A head split
   * across calls is moved into a private array at the end of the call (the thread parses other
   * connections' heads in between).
   */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

  /** Per thread, the fields of a head being parsed in one call; moved off like {@link #SCRATCH}. */
  private static final ThreadLocal<FieldList> FIELD_SCRATCH =
      ThreadLocal.withInitial(() -> new FieldList(16));

  private final int maxHeaderBytes;
  private final int maxHeaderCount;
  /** The head's bytes: the thread's scratch array during a call, else private or null. */
  private byte[] buf;
  private boolean onScratch;

  /** Bytes of the current head held in {@link #buf}. */
  private int length;

  /** Offset in {@link #buf} of the first byte of the line not yet terminated. */
  private int lineStart;

  /** How many leading bytes have been checked against "HTTP/" (to fail fast on non-HTTP). */
  private int prefixChecked;

  private boolean statusLineDone;
  private String version;
  private int statusCode;
  private String reasonPhrase;
  /** The head's fields so far: the thread's scratch list during a call, else private or null. */
  private FieldList fields;
  private boolean fieldsOnScratch;

  /**
   * Creates a parser.
   *
   * @param maxHeaderBytes the most bytes a head may occupy, status line and final empty line
   *     included
   * @param maxHeaderCount the most header fields a head may have
   */
  public Http1ResponseParser(int maxHeaderBytes, int maxHeaderCount) {
    if (maxHeaderBytes < 1 || maxHeaderCount < 0) {
      throw new IllegalArgumentException(
          "limits must be positive: " + maxHeaderBytes + " bytes, " + maxHeaderCount + " fields");
    }
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxHeaderCount = maxHeaderCount;
  }

  /**
   * Consumes head bytes from {@code src} and returns the head once it is complete, or null if more
   * input is needed (every byte of {@code src} was consumed and remembered). On success the
   * position of {@code src} is just after the final empty line, so body bytes and whatever follows
   * stay in {@code src} for the body decoder.
   *
   * @throws ProtocolViolation if the bytes are not an HTTP/1.0 or HTTP/1.1 response head, or exceed
   *     the limits
   */
  public ResponseHead parseHead(ByteBuffer src) throws ProtocolViolation {
    if (buf == null) {
      buf = SCRATCH.get();
      onScratch = true;
    }
    if (fields == null) {
      fields = FIELD_SCRATCH.get();
      fieldsOnScratch = true;
    }
    try {
      return parse(src);
    } finally {
      if (onScratch) {
        keepPrivately(); // the head is incomplete (or bad): its bytes must outlive this call
      }
      if (fieldsOnScratch) {
        keepFieldsPrivately();
      }
    }
  }

  /** Moves the fields of a partial head off the thread's scratch list (which is left empty). */
  private void keepFieldsPrivately() {
    FieldList scratch = fields;
    fields = scratch.count() == 0 ? null : scratch.copy();
    scratch.clear();
    fieldsOnScratch = false;
  }

  /** Moves a partial head off the thread's scratch array into one of the parser's own. */
  private void keepPrivately() {
    buf = length == 0 ? null
        : Arrays.copyOf(buf, Math.min(maxHeaderBytes, Math.max(INITIAL_CAPACITY, length * 2)));
    onScratch = false;
  }

  private ResponseHead parse(ByteBuffer src) throws ProtocolViolation {
    int pos = src.position();
    int limit = src.limit();
    while (pos < limit) {
      int room = maxHeaderBytes - length;
      if (room == 0) {
        throw new ProtocolViolation(
            ProtocolViolation.Kind.HEADER_SIZE_OVERFLOW,
            "response header block exceeds " + maxHeaderBytes + " bytes");
      }
      int scanEnd = limit - pos <= room ? limit : pos + room;
      int lf = pos;
      while (lf < scanEnd && src.get(lf) != '\n') {
        lf++;
      }
      int end = lf < scanEnd ? lf + 1 : scanEnd;
      append(src, pos, end);
      pos = end;
      if (prefixChecked < HTTP_SLASH.length) {
        checkPrefix();
      }
      if (lf < scanEnd) {
        ResponseHead head = endOfLine();
        if (head != null) {
          src.position(pos);
          return head;
        }
      }
    }
    src.position(pos);
    return null;
  }

  /** Forgets any partial head, making the parser ready for a new response. */
  public void reset() {
    if (onScratch) {
      buf = null; // the scratch array stays the thread's
      onScratch = false;
    }
    length = 0;
    lineStart = 0;
    prefixChecked = 0;
    statusLineDone = false;
    version = null;
    reasonPhrase = null;
    if (fieldsOnScratch) {
      fields.clear(); // the scratch list stays the thread's
      fieldsOnScratch = false;
    }
    fields = null;
  }

  private void append(ByteBuffer src, int from, int to) {
    int n = to - from;
    if (length + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(maxHeaderBytes, Math.max(length + n, buf.length * 2)));
      onScratch = false; // a private copy now
    }
    src.get(from, buf, length, n);
    length += n;
  }

  /**
   * Fails as soon as the first bytes differ from "HTTP/": a server answering with a bare body (or
   * speaking another protocol) is caught without waiting for a line end that may never come.
   */
  private void checkPrefix() throws ProtocolViolation {
    int n = Math.min(length, HTTP_SLASH.length);
    for (int i = prefixChecked; i < n; i++) {
      if (buf[i] != HTTP_SLASH[i]) {
        throw ProtocolViolation.malformed("response does not start with HTTP/");
      }
    }
    prefixChecked = n;
  }

  /** Handles the line that ends at {@code buf[length - 1]} (a LF); returns the head if it ended. */
  private ResponseHead endOfLine() throws ProtocolViolation {
    int start = lineStart;
    int end = length - 1;
    // RFC 9112 §2.2: a recipient may accept a bare LF as a line terminator; a CR is only a
    // terminator when a LF follows it, anywhere else it is rejected by the line's own rules.
    if (end > start && buf[end - 1] == '\r') {
      end--;
    }
    lineStart = length;
    if (!statusLineDone) {
      parseStatusLine(start, end);
      statusLineDone = true;
      return null;
    }
    if (end > start) {
      FieldLines.parse(buf, start, end, fields, maxHeaderCount, "header");
      return null;
    }
    ResponseHead head =
        new ResponseHead(
            version,
            statusCode,
            reasonPhrase,
            fields.toArray(),
            new String(buf, 0, length, StandardCharsets.ISO_8859_1),
            length);
    reset();
    return head;
  }

  /** {@code HTTP-version SP 3DIGIT [SP reason-phrase]}; the reason may be absent altogether. */
  private void parseStatusLine(int start, int end) throws ProtocolViolation {
    int n = end - start;
    if (n < HTTP_SLASH.length) {
      throw ProtocolViolation.malformed("response does not start with HTTP/");
    }
    version = parseVersion(start, n);
    int c0 = n > 9 ? buf[start + 9] : -1;
    int c1 = n > 10 ? buf[start + 10] : -1;
    int c2 = n > 11 ? buf[start + 11] : -1;
    if (c0 < '1'
        || c0 > '9'
        || !Ascii.isDigit(c1)
        || !Ascii.isDigit(c2)
        || (n > 12 && buf[start + 12] != ' ')) {
      throw ProtocolViolation.malformed("invalid status code: expected 3 digits from 100 to 999");
    }
    statusCode = (c0 - '0') * 100 + (c1 - '0') * 10 + (c2 - '0');
    int reasonStart = Math.min(start + 13, end);
    for (int i = reasonStart; i < end; i++) {
      int c = buf[i] & 0xFF;
      if (Ascii.isControlExceptTab(c)) {
        throw c == '\r'
            ? FieldLines.bareCr("status")
            : ProtocolViolation.malformed("control character in reason phrase");
      }
    }
    reasonPhrase = KnownStrings.of(buf, reasonStart, end - reasonStart);
  }

  /** Accepts HTTP/1.0 and HTTP/1.1 followed by SP; returns the interned version string. */
  private String parseVersion(int start, int n) throws ProtocolViolation {
    boolean shaped =
        n > 8
            && Ascii.isDigit(buf[start + 5])
            && buf[start + 6] == '.'
            && Ascii.isDigit(buf[start + 7])
            && buf[start + 8] == ' ';
    if (!shaped) {
      throw ProtocolViolation.malformed("malformed HTTP version in status line");
    }
    if (buf[start + 5] != '1' || (buf[start + 7] != '0' && buf[start + 7] != '1')) {
      throw ProtocolViolation.malformed("unsupported HTTP version: expected HTTP/1.0 or HTTP/1.1");
    }
    return buf[start + 7] == '1' ? ResponseHead.HTTP_1_1 : ResponseHead.HTTP_1_0;
  }
}
