package dev.telltale.internal.proxy;

import dev.telltale.ProxySettings;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Picks the proxy for one origin from the request's {@link ProxySettings}: none, the named proxy
 * unless the bypass list matches, or what the {@link java.net.ProxySelector} offers.
 */
public final class ProxyRouting {
  private ProxyRouting() {}

  /**
   * The hop to {@code host:port}, or null to connect directly.
   *
   * @throws RuntimeException whatever the selector throws (the caller reports it)
   */
  public static ProxyHop choose(ProxySettings settings, boolean secure, String host, int port) {
    if (settings.kind() == ProxySettings.Kind.NONE || settings.bypasses(host, port)) {
      return null;
    }
    if (settings.kind() != ProxySettings.Kind.SELECTOR) {
      return hop(settings.kind() == ProxySettings.Kind.SOCKS5, settings.address(), settings);
    }
    String uriHost = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    URI uri = URI.create((secure ? "https://" : "http://") + uriHost + ":" + port);
    List<Proxy> offered = settings.selector().select(uri);
    if (offered == null) {
      return null;
    }
    for (Proxy proxy : offered) {
      SocketAddress address = proxy.address();
      if (proxy.type() == Proxy.Type.DIRECT) {
        return null;
      }
      if (address instanceof InetSocketAddress inet) {
        return hop(proxy.type() == Proxy.Type.SOCKS, inet, settings);
      }
    }
    return null;
  }

  private static ProxyHop hop(boolean socks, InetSocketAddress address, ProxySettings settings) {
    return new ProxyHop(socks, address.getHostString(), address.getPort(), settings.user(),
        settings.password());
  }
}
