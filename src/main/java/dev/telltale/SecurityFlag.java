package dev.telltale;

import java.util.Set;

/**
 * Certificate checks to relax, set through the {@code SECURITY_FLAGS} option: WinHTTP's {@code
 * SECURITY_FLAG_IGNORE_*} values for {@code WINHTTP_OPTION_SECURITY_FLAGS}. {@link #value()} is the
 * winhttp.h bit. Each one weakens TLS; use them for tests and known internal hosts only.
 */
public enum SecurityFlag {
  /**
   * {@code SECURITY_FLAG_IGNORE_UNKNOWN_CA} (0x100): accept a certificate from an untrusted issuer.
   */
  IGNORE_UNKNOWN_CA(0x0000_0100),
  /**
   * {@code SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE} (0x200): accept a certificate not meant for
   * servers.
   */
  IGNORE_CERT_WRONG_USAGE(0x0000_0200),
  /**
   * {@code SECURITY_FLAG_IGNORE_CERT_CN_INVALID} (0x1000): accept a certificate for another host
   * name.
   */
  IGNORE_CERT_CN_INVALID(0x0000_1000),
  /**
   * {@code SECURITY_FLAG_IGNORE_CERT_DATE_INVALID} (0x2000): accept an expired or not-yet-valid
   * certificate.
   */
  IGNORE_CERT_DATE_INVALID(0x0000_2000);

  private final int value;

  SecurityFlag(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h value of this flag.
   *
   * @return the {@code SECURITY_FLAG_*} value
   */
  public int value() {
    return value;
  }

  /**
   * Combines flags into the {@code DWORD} that {@code WINHTTP_OPTION_SECURITY_FLAGS} takes.
   *
   * @param flags the flags, not null
   * @return the bitwise OR of their values
   */
  public static int mask(Set<SecurityFlag> flags) {
    int m = 0;
    for (SecurityFlag f : flags) {
      m |= f.value;
    }
    return m;
  }

  /**
   * The flags whose bits are set in {@code mask}; other bits are ignored.
   *
   * @param mask a {@code WINHTTP_OPTION_SECURITY_FLAGS} value
   * @return the flags, as a new mutable set
   */
  public static Set<SecurityFlag> fromMask(int mask) {
    Set<SecurityFlag> flags = java.util.EnumSet.noneOf(SecurityFlag.class);
    for (SecurityFlag f : values()) {
      if ((mask & f.value) != 0) {
        flags.add(f);
      }
    }
    return flags;
  }
}
