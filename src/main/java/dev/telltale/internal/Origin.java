package dev.telltale.internal;

import dev.telltale.internal.proxy.ProxyHop;
import java.util.Set;

/**
 * Where a connection goes: scheme, host and port, plus for https the certificate checks the
 * request relaxed ({@code SecurityFlag} mask) and the TLS versions allowed. The pool's key: a
 * connection is reused only by a request with the same origin and the same security settings, so
 * a request that ignores certificate errors never shares a connection with one that does not, and
 * narrowing SECURE_PROTOCOLS is never bypassed by a connection negotiated before. The proxy the
 * connection goes through ({@code proxy}, null for a direct one) is part of the key too.
 */
public record Origin(boolean secure, String host, int port, int securityFlags, Set<String> protocols,
    ProxyHop proxy) {
  /** An origin with no relaxed checks and no TLS settings, reached directly. */
  public Origin(boolean secure, String host, int port) {
    this(secure, host, port, 0, Set.of(), null);
  }

  /** An origin reached directly. */
  public Origin(boolean secure, String host, int port, int securityFlags, Set<String> protocols) {
    this(secure, host, port, securityFlags, protocols, null);
  }

  /** Copies the protocol set, so the key cannot change under the pool. */
  public Origin {
    protocols = Set.copyOf(protocols);
  }

  /** The same place with {@code mask} as its relaxed checks (always 0 for plain http). */
  public Origin withSecurityFlags(int mask) {
    if ((secure ? mask : 0) == securityFlags) {
      return this; // origins are built per request: no copy when nothing changes
    }
    return new Origin(secure, host, port, secure ? mask : 0, protocols, proxy);
  }

  /** The same place with {@code allowed} TLS versions (always none for plain http). */
  public Origin withProtocols(Set<String> allowed) {
    Set<String> kept = secure ? allowed : Set.of();
    if (kept == protocols || kept.equals(protocols)) {
      return this;
    }
    return new Origin(secure, host, port, securityFlags, secure ? allowed : Set.of(), proxy);
  }

  /** The same place reached through {@code hop} (null: directly). */
  public Origin via(ProxyHop hop) {
    if (hop == proxy) {
      return this;
    }
    return new Origin(secure, host, port, securityFlags, protocols, hop);
  }

  /** The host the socket connects to: the proxy's when there is one. */
  public String dialHost() {
    return proxy == null ? host : proxy.host();
  }

  /** The port the socket connects to: the proxy's when there is one. */
  public int dialPort() {
    return proxy == null ? port : proxy.port();
  }

  /** Whether requests go to an HTTP proxy in absolute form (plain http through an HTTP proxy). */
  public boolean absoluteForm() {
    return proxy != null && !proxy.tunnels(secure);
  }

  /** Scheme, host and port alone, for deciding whether credentials may follow a redirect. */
  public boolean sameSiteAs(Origin other) {
    return secure == other.secure && port == other.port && host.equals(other.host);
  }

  /** {@code http://host:port} form, for messages and logs. */
  @Override
  public String toString() {
    return (secure ? "https://" : "http://") + hostForUri() + ":" + port
        + (proxy == null ? "" : " via " + proxy);
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
