package dev.telltale.internal;

/**
 * Where a connection goes: scheme, host and port. The pool's key, the unit of connection reuse.
 */
public record Origin(boolean secure, String host, int port) {
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
