package dev.telltale;

import java.util.Objects;
import java.util.Set;

/**
 * What {@link Request#queryAuthSchemes()} found in a 401 or 407 response, as
 * {@code WinHttpQueryAuthSchemes} returns it.
 *
 * @param supported every scheme the server offered that telltale knows by name (including the
 *     ones it cannot answer; see {@link AuthScheme#isSupported()})
 * @param first the first known scheme the server listed, its preference
 * @param target who challenged: {@link AuthTarget#SERVER} for a 401, {@link AuthTarget#PROXY} for a
 *     407
 */
public record AuthSchemes(Set<AuthScheme> supported, AuthScheme first, AuthTarget target) {
  /** Copies {@code supported}; every component is required. */
  public AuthSchemes {
    supported = Set.copyOf(supported);
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(target, "target");
  }
}
