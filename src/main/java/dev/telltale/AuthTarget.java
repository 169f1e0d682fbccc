package dev.telltale;

/**
 * Who asks for credentials: {@code WINHTTP_AUTH_TARGET_SERVER} or {@code WINHTTP_AUTH_TARGET_PROXY}.
 * A 401 response ({@code WWW-Authenticate}) challenges for the server, a 407
 * ({@code Proxy-Authenticate}) for the proxy.
 */
public enum AuthTarget {
  /** {@code WINHTTP_AUTH_TARGET_SERVER} (0): the origin server, answered with {@code Authorization}. */
  SERVER(0),
  /** {@code WINHTTP_AUTH_TARGET_PROXY} (1): the proxy, answered with {@code Proxy-Authorization}. */
  PROXY(1);

  private final int value;

  AuthTarget(int value) {
    this.value = value;
  }

  /** The {@code WINHTTP_AUTH_TARGET_*} value from winhttp.h. */
  public int value() {
    return value;
  }
}
