package dev.telltale.internal.proxy;

import dev.telltale.ProxySettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the proxy for one origin from the request's {@link ProxySettings}: none, the named proxy
 * unless the bypass list matches, or what the {@link java.net.ProxySelector} offers, in its order,
 * so that a connection that cannot reach one proxy tries the next (and tells the selector).
 */
public final class ProxyRouting {
  private ProxyRouting() {}

  /**
   * One way to the origin: through {@code hop}, or directly when {@code hop} is null.
   *
   * @param hop the proxy, or null for DIRECT
   * @param offered the selector's entry it came from, or null when no selector was asked
   */
  public record Candidate(ProxyHop hop, Proxy offered) {
    /** The proxy's name for messages, {@code DIRECT} without one. */
    @Override
    public String toString() {
      return hop == null ? "DIRECT" : hop.toString();
    }
  }

  /**
   * The ways to one origin, to be tried in order.
   *
   * @param selector the selector asked, or null
   * @param uri what the selector was asked about, or null when there is no selector
   * @param candidates at least one
   */
  public record Route(ProxySelector selector, URI uri, List<Candidate> candidates) {
    public Route {
      candidates = List.copyOf(candidates);
    }

    /**
     * Tells the selector the candidate could not be connected to, as
     * {@link java.net.ProxySelector#connectFailed} asks; nothing for DIRECT or without a selector.
     * What the selector throws is the caller's to ignore: it must not change the request's fate.
     */
    public void connectFailed(Candidate failed, IOException why) {
      if (selector != null && failed.offered() != null && failed.offered().address() != null) {
        selector.connectFailed(uri, failed.offered().address(), why);
      }
    }
  }

  /**
   * The hop to {@code host:port}, or null to connect directly: the first of {@link #route}'s
   * candidates.
   *
   * @throws RuntimeException whatever the selector throws (the caller reports it)
   */
  public static ProxyHop choose(ProxySettings settings, boolean secure, String host, int port) {
    return route(settings, secure, host, port).candidates().get(0).hop();
  }

  /** The route of every request that goes directly: immutable, so one serves them all. */
  private static final Route DIRECT = new Route(null, null, List.of(new Candidate(null, null)));

  /**
   * The ways to {@code host:port}: directly (no proxy, or the bypass list matches), the named
   * proxy, or each HTTP, SOCKS and DIRECT entry the selector lists, in its order. Without a usable
   * entry (an empty or null list, or only unresolvable addresses) the origin is reached directly,
   * as {@link java.net.ProxySelector} documents for an empty list.
   *
   * @throws RuntimeException whatever the selector throws (the caller reports it)
   */
  public static Route route(ProxySettings settings, boolean secure, String host, int port) {
    if (settings.kind() == ProxySettings.Kind.NONE || settings.bypasses(host, port)) {
      return DIRECT; // immutable: one for every direct request
    }
    if (settings.kind() != ProxySettings.Kind.SELECTOR) {
      return new Route(null, null, List.of(new Candidate(
          hop(settings.kind() == ProxySettings.Kind.SOCKS5, settings.address(), settings), null)));
    }
    String uriHost = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    URI uri = URI.create((secure ? "https://" : "http://") + uriHost + ":" + port);
    List<Proxy> offered = settings.selector().select(uri);
    List<Candidate> candidates = new ArrayList<>();
    for (Proxy proxy : offered == null ? List.<Proxy>of() : offered) {
      if (proxy == null) {
        continue;
      }
      SocketAddress address = proxy.address();
      if (proxy.type() == Proxy.Type.DIRECT) {
        candidates.add(new Candidate(null, proxy));
      } else if (address instanceof InetSocketAddress inet) {
        candidates.add(new Candidate(hop(proxy.type() == Proxy.Type.SOCKS, inet, settings), proxy));
      }
    }
    if (candidates.isEmpty()) {
      candidates.add(new Candidate(null, null));
    }
    return new Route(settings.selector(), uri, candidates);
  }

  private static ProxyHop hop(boolean socks, InetSocketAddress address, ProxySettings settings) {
    return new ProxyHop(socks, address.getHostString(), address.getPort(), settings.user(),
        settings.password());
  }
}
