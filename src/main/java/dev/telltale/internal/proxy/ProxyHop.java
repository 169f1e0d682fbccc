package dev.telltale.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The proxy one connection goes through: its kind, where it is, and the credentials it gets. Part
 * of the pool key ({@code Origin}), so a connection through proxy P to origin O serves only
 * requests for O through P with the same credentials (a SOCKS or CONNECT tunnel is authenticated
 * once, for the whole connection).
 *
 * @param socks true for SOCKS5, false for an HTTP proxy
 * @param host the proxy's host name or address literal, as configured
 * @param port the proxy's port
 * @param user the proxy user, or null
 * @param password the proxy password, or null
 * @param alwaysTunnel true when even plain http goes through a {@code CONNECT} tunnel (a WebSocket
 *     upgrade: proxies such as tinyproxy do not forward {@code Upgrade} in absolute form). Part of
 *     the key, so an upgrade never takes an idle absolute-form connection to the proxy, nor the
 *     other way round.
 */
public record ProxyHop(boolean socks, String host, int port, String user, String password,
    boolean alwaysTunnel) {
  /** A hop that tunnels only what needs it (SOCKS5 always; HTTP for https). */
  public ProxyHop(boolean socks, String host, int port, String user, String password) {
    this(socks, host, port, user, password, false);
  }

  /** This hop with {@code user} and {@code password} for the proxy. */
  public ProxyHop withCredentials(String user, String password) {
    return new ProxyHop(socks, host, port, user, password, alwaysTunnel);
  }

  /**
   * This hop, tunnelling plain http too when {@code always} (meaningful for an HTTP proxy only:
   * SOCKS5 tunnels everything, so its key is left alone).
   */
  public ProxyHop withAlwaysTunnel(boolean always) {
    return new ProxyHop(socks, host, port, user, password, always && !socks);
  }

  /** Whether credentials were given. */
  public boolean hasCredentials() {
    return user != null;
  }

  /** The {@code Proxy-Authorization} value for Basic (RFC 7617, UTF-8). */
  public String basicAuthorization() {
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  /**
   * Whether the origin is reached through a tunnel (SOCKS5 always; HTTP for https, and for plain
   * http when {@link #alwaysTunnel}).
   */
  public boolean tunnels(boolean secureOrigin) {
    return socks || secureOrigin || alwaysTunnel;
  }

  /** {@code socks5://host:port} or {@code http://host:port}; never the password. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return (socks ? "socks5://" : "http://") + (user == null ? "" : user + "@") + h + ":" + port;
  }
}
