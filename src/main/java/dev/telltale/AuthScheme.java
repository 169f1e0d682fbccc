package dev.telltale;

import java.util.Locale;

/**
 * An HTTP authentication scheme, {@code WINHTTP_AUTH_SCHEME_*} with winhttp.h's bit values.
 *
 * <p>telltale answers {@link #BASIC} (RFC 7617) and {@link #DIGEST} (RFC 7616) challenges.
 * {@link Request#queryAuthSchemes()} also reports NTLM, Negotiate and Passport when a server offers
 * them, so an application can tell why it cannot log in, but
 * {@link Request#setCredentials} refuses them.
 */
public enum AuthScheme {
  /** {@code WINHTTP_AUTH_SCHEME_BASIC} (0x1): user and password, base64-encoded (RFC 7617). */
  BASIC(0x1, "Basic", true),
  /** {@code WINHTTP_AUTH_SCHEME_NTLM} (0x2): reported, not supported. */
  NTLM(0x2, "NTLM", false),
  /** {@code WINHTTP_AUTH_SCHEME_PASSPORT} (0x4): reported, not supported. */
  PASSPORT(0x4, "Passport1.4", false),
  /** {@code WINHTTP_AUTH_SCHEME_DIGEST} (0x8): challenge-response with a hash (RFC 7616). */
  DIGEST(0x8, "Digest", true),
  /** {@code WINHTTP_AUTH_SCHEME_NEGOTIATE} (0x10): reported, not supported. */
  NEGOTIATE(0x10, "Negotiate", false);

  private final int value;
  private final String token;
  private final boolean supported;

  AuthScheme(int value, String token, boolean supported) {
    this.value = value;
    this.token = token;
    this.supported = supported;
  }

  /** The {@code WINHTTP_AUTH_SCHEME_*} bit from winhttp.h. */
  public int value() {
    return value;
  }

  /** The scheme's name as it appears in a challenge, e.g. {@code Digest}. */
  public String token() {
    return token;
  }

  /** Whether telltale can answer this scheme's challenges ({@link Request#setCredentials}). */
  public boolean isSupported() {
    return supported;
  }

  /** The scheme named {@code token} in a challenge (case-insensitive), or null if unknown. */
  public static AuthScheme fromToken(String token) {
    String lower = token.toLowerCase(Locale.ROOT);
    for (AuthScheme scheme : values()) {
      if (scheme.token.toLowerCase(Locale.ROOT).equals(lower)) {
        return scheme;
      }
    }
    return null;
  }
}
