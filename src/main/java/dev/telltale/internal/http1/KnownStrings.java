package dev.telltale.internal.http1;

import java.nio.charset.StandardCharsets;

/**
 * The header names and values that nearly every response carries, spelled the way servers send
 * them, so that parsing a head reuses these constants instead of allocating a String for each.
 * A byte sequence matches only exactly (case included); anything else becomes a new String as
 * before, so the parsed text is always what was received.
 */
final class KnownStrings {
  private static final String[] WORDS = {
    // names
    "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag",
    "Accept-Ranges", "Transfer-Encoding", "Cache-Control", "Location", "Vary", "Expires",
    "Keep-Alive", "Content-Encoding", "Age", "Via", "Pragma", "Set-Cookie", "Alt-Svc",
    "Access-Control-Allow-Origin", "Strict-Transport-Security", "X-Content-Type-Options",
    "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "Content-Language",
    "Content-Disposition", "WWW-Authenticate", "Retry-After", "Upgrade", "Trailer",
    "server", "date", "content-type", "content-length", "last-modified", "connection", "etag",
    "accept-ranges", "transfer-encoding", "cache-control", "location", "vary", "expires",
    "keep-alive", "content-encoding",
    // values
    "close", "chunked", "bytes", "gzip", "br", "deflate", "nosniff", "no-cache", "no-store",
    "Accept-Encoding", "application/octet-stream", "application/json", "text/html",
    "text/plain", "text/html; charset=utf-8", "text/plain; charset=utf-8",
    "application/json; charset=utf-8", "text/html; charset=UTF-8", "0", "nginx", "SAMEORIGIN",
    "DENY", "private", "public", "max-age=0", "*", "OK",
  };

  /** WORDS by length, as bytes: TABLE[length] lists the candidates of that length. */
  private static final int MAX_LENGTH = 40;
  private static final String[][] BY_LENGTH = new String[MAX_LENGTH + 1][];
  private static final byte[][][] BYTES_BY_LENGTH = new byte[MAX_LENGTH + 1][][];

  static {
    for (int len = 0; len <= MAX_LENGTH; len++) {
      int count = 0;
      for (String w : WORDS) {
        if (w.length() == len) {
          count++;
        }
      }
      BY_LENGTH[len] = new String[count];
      BYTES_BY_LENGTH[len] = new byte[count][];
      int i = 0;
      for (String w : WORDS) {
        if (w.length() == len) {
          BY_LENGTH[len][i] = w;
          BYTES_BY_LENGTH[len][i++] = w.getBytes(StandardCharsets.ISO_8859_1);
        }
      }
    }
  }

  private KnownStrings() {}

  /** The text of {@code buf[from, from + length)} as ISO-8859-1: a constant when it is a known word. */
  static String of(byte[] buf, int from, int length) {
    if (length <= MAX_LENGTH) {
      byte[][] candidates = BYTES_BY_LENGTH[length];
      for (int c = 0; c < candidates.length; c++) {
        if (java.util.Arrays.equals(candidates[c], 0, length, buf, from, from + length)) {
          return BY_LENGTH[length][c];
        }
      }
    }
    return new String(buf, from, length, StandardCharsets.ISO_8859_1);
  }
}
