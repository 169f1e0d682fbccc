package dev.telltale.internal.auth;

import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} or {@code Proxy-Authenticate} field (RFC 9110
 * §11.3): a scheme with either a token68 or auth-params. Parameter names are lower case (they are
 * case-insensitive); values are unquoted.
 *
 * @param scheme the auth-scheme as sent
 * @param token68 the token68 form, or null
 * @param params the auth-params by lower-case name (empty with a token68)
 */
public record Challenge(String scheme, String token68, Map<String, String> params) {
  /** Copies the parameters. */
  public Challenge {
    params = Map.copyOf(params);
  }

  /** Whether the scheme is {@code name}, case-insensitively. */
  public boolean is(String name) {
    return scheme.equalsIgnoreCase(name);
  }

  /** The parameter {@code name} (any case), or null. */
  public String param(String name) {
    return params.get(name.toLowerCase(Locale.ROOT));
  }
}
