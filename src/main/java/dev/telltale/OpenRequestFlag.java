package dev.telltale;

/**
 * Flags for {@code Connect.openRequest}: the {@code dwFlags} argument of {@code
 * WinHttpOpenRequest}. Only {@link #SECURE} is supported today; other {@code WINHTTP_FLAG_*} values
 * (escaping, refresh) may be added later.
 */
public enum OpenRequestFlag {
  /** {@code WINHTTP_FLAG_SECURE} (0x00800000): use https (TLS) for this request. */
  SECURE(0x0080_0000);

  private final int value;

  OpenRequestFlag(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h value of this flag.
   *
   * @return the {@code WINHTTP_FLAG_*} value
   */
  public int value() {
    return value;
  }
}
