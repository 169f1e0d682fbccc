package dev.telltale.internal;

/**
 * Where a connection goes: scheme, host and port, plus the certificate checks a secure request
 * relaxed ({@code SecurityFlag} mask). The pool's key: a connection is reused only by a request
 * with the same origin and the same security settings, so a request that ignores certificate
 * errors never shares a connection with one that does not.
 */
public record Origin(boolean secure, String host, int port, int securityFlags) {
  /** An origin with no relaxed checks. */
  public Origin(boolean secure, String host, int port) {
    this(secure, host, port, 0);
  }

  /** The same place with {@code mask} as its relaxed checks (always 0 for plain http). */
  public Origin withSecurityFlags(int mask) {
    return new Origin(secure, host, port, secure ? mask : 0);
  }

  /** Scheme, host and port alone, for deciding whether credentials may follow a redirect. */
  public boolean sameSiteAs(Origin other) {
    return secure == other.secure && port == other.port && host.equals(other.host);
  }

  /** {@code http://host:port} form, for messages and logs. */
  @Override
  public String toString() {
    return (secure ? "https://" : "http://") + hostForUri() + ":" + port;
  }

  /** The host as it appears in a URI or Host header: IPv6 literals bracketed. */
  public String hostForUri() {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The Host header value: the port is left out when it is the scheme's default. */
  public String hostHeader() {
    return port == (secure ? 443 : 80) ? hostForUri() : hostForUri() + ":" + port;
  }
}
