package dev.telltale;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Why a TLS connection failed: the {@code WINHTTP_CALLBACK_STATUS_FLAG_*} bits WinHTTP passes with
 * {@code WINHTTP_CALLBACK_STATUS_SECURE_FAILURE}, carried by {@link
 * StatusEvent.SecureFailure#flags()}. {@link #value()} is the winhttp.h bit.
 */
public enum SecureFailureFlag {
  /** {@code WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED}: revocation could not be checked. */
  CERT_REV_FAILED(0x0000_0001),
  /** {@code WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CERT}: the certificate is invalid. */
  INVALID_CERT(0x0000_0002),
  /** {@code WINHTTP_CALLBACK_STATUS_FLAG_CERT_REVOKED}: the certificate was revoked. */
  CERT_REVOKED(0x0000_0004),
  /** {@code WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA}: the issuing authority is not trusted. */
  INVALID_CA(0x0000_0008),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID}: the certificate does not name the host.
   */
  CERT_CN_INVALID(0x0000_0010),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID}: the certificate is expired or not yet
   * valid.
   */
  CERT_DATE_INVALID(0x0000_0020),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_FLAG_CERT_WRONG_USAGE}: the certificate is not for server auth.
   */
  CERT_WRONG_USAGE(0x0000_0040),
  /**
   * {@code WINHTTP_CALLBACK_STATUS_FLAG_SECURITY_CHANNEL_ERROR}: the TLS handshake itself failed
   * (no common protocol or cipher, bad record, alert from the peer).
   */
  SECURITY_CHANNEL_ERROR(0x8000_0000);

  private final int value;

  SecureFailureFlag(int value) {
    this.value = value;
  }

  /**
   * Returns the winhttp.h bit of this flag.
   *
   * @return the {@code WINHTTP_CALLBACK_STATUS_FLAG_*} value ({@code SECURITY_CHANNEL_ERROR} is
   *     negative as an {@code int})
   */
  public int value() {
    return value;
  }

  /**
   * Combines flags into the {@code DWORD} WinHTTP passes as the notification's status information.
   *
   * @param flags the flags, not null
   * @return the bitwise OR of their values
   */
  public static int mask(Set<SecureFailureFlag> flags) {
    int m = 0;
    for (SecureFailureFlag f : flags) {
      m |= f.value;
    }
    return m;
  }

  /**
   * Returns the flags set in a winhttp.h mask, the inverse of {@link #mask(Set)}; unknown bits are
   * ignored.
   *
   * @param mask a combination of {@code WINHTTP_CALLBACK_STATUS_FLAG_*} bits
   * @return an unmodifiable set
   */
  public static Set<SecureFailureFlag> fromMask(int mask) {
    EnumSet<SecureFailureFlag> set = EnumSet.noneOf(SecureFailureFlag.class);
    for (SecureFailureFlag f : values()) {
      if ((mask & f.value) != 0) {
        set.add(f);
      }
    }
    return Collections.unmodifiableSet(set);
  }
}
