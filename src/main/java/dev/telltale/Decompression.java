package dev.telltale;

/**
 * Content codings telltale can decode, the flags of {@code WINHTTP_OPTION_DECOMPRESSION}
 * ({@code WINHTTP_DECOMPRESSION_FLAG_GZIP} and {@code _DEFLATE}). See {@link Option#DECOMPRESSION}.
 */
public enum Decompression {
  /** {@code WINHTTP_DECOMPRESSION_FLAG_GZIP} (0x1): {@code Content-Encoding: gzip} (RFC 1952). */
  GZIP(0x1, "gzip"),
  /**
   * {@code WINHTTP_DECOMPRESSION_FLAG_DEFLATE} (0x2): {@code Content-Encoding: deflate}, zlib-wrapped
   * (RFC 1950) as RFC 9110 says, or raw deflate (RFC 1951) as some servers send it.
   */
  DEFLATE(0x2, "deflate");

  private final int value;
  private final String coding;

  Decompression(int value, String coding) {
    this.value = value;
    this.coding = coding;
  }

  /** The {@code WINHTTP_DECOMPRESSION_FLAG_*} bit. */
  public int value() {
    return value;
  }

  /** The content-coding token, as in {@code Accept-Encoding}. */
  public String coding() {
    return coding;
  }
}
