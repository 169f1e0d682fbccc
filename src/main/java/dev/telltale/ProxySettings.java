package dev.telltale;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How requests reach their servers: directly, through a named HTTP proxy, through a SOCKS5 proxy,
 * or through whatever a {@link ProxySelector} picks for each URI. The value of {@link Option#PROXY}
 * (session or request; default {@link #none()}) and of {@link Session.Builder#proxy}. Immutable.
 *
 * <pre>{@code
 * ProxySettings corporate = ProxySettings.http("proxy.example", 3128)
 *     .withBypass("<local>", "*.internal.example", "10.1.2.3")
 *     .withCredentials("alice", "s3cret");
 * Session session = Session.builder().proxy(corporate).build();
 * }</pre>
 *
 * <p>Through an HTTP proxy, plain {@code http} requests are sent to the proxy in absolute form
 * ({@code GET http://host:port/path HTTP/1.1}) and {@code https} requests open a tunnel with
 * {@code CONNECT host:port}, inside which TLS runs with the origin (the certificate is checked
 * against the origin's name, never the proxy's). Through SOCKS5 every request tunnels; the origin's
 * name is sent to the proxy, which resolves it. The RESOLVING_NAME, NAME_RESOLVED,
 * CONNECTING_TO_SERVER and CONNECTED_TO_SERVER notifications name the proxy, as WinHTTP's do.
 * A WebSocket upgrade ({@link Option#UPGRADE_TO_WEB_SOCKET}) through an HTTP proxy tunnels with
 * {@code CONNECT} for {@code ws://} too, since proxies forwarding in absolute form drop
 * {@code Upgrade}.
 *
 * <p>Proxy credentials go only to the proxy: as {@code Proxy-Authorization: Basic} with plain http
 * requests (sent with each request, since the proxy is the next hop), in answer to a 407 Basic
 * challenge to {@code CONNECT} (asked once; later tunnels to the same proxy send them at once), or
 * as the RFC 1929 user/password method of SOCKS5. They are never sent to an origin server.
 */
public final class ProxySettings {
  /** What kind of proxy configuration this is. */
  public enum Kind {
    /** Every request connects directly. */
    NONE,
    /** A named HTTP proxy (absolute form for http, CONNECT tunnels for https and WebSockets). */
    HTTP,
    /** A named SOCKS5 proxy (RFC 1928), every request tunnelled. */
    SOCKS5,
    /** A {@link ProxySelector} is asked for each request (DETECTING_PROXY is reported). */
    SELECTOR
  }

  private static final ProxySettings NONE =
      new ProxySettings(Kind.NONE, null, null, List.of(), null, null);

  private final Kind kind;
  private final InetSocketAddress address;
  private final ProxySelector selector;
  private final List<String> bypass;
  private final String user;
  private final String password;

  private ProxySettings(Kind kind, InetSocketAddress address, ProxySelector selector,
      List<String> bypass, String user, String password) {
    this.kind = kind;
    this.address = address;
    this.selector = selector;
    this.bypass = List.copyOf(bypass);
    this.user = user;
    this.password = password;
  }

  /** No proxy: every request connects directly (the default, WinHTTP's NO_PROXY). */
  public static ProxySettings none() {
    return NONE;
  }

  /**
   * An HTTP proxy at {@code address}. An unresolved address ({@link
   * InetSocketAddress#createUnresolved}) is resolved by the session's resolver for each new
   * connection, with RESOLVING_NAME naming the proxy.
   */
  public static ProxySettings http(InetSocketAddress address) {
    return new ProxySettings(Kind.HTTP, checked(address), null, List.of(), null, null);
  }

  /** An HTTP proxy at {@code host:port}; the name is resolved when a connection is opened. */
  public static ProxySettings http(String host, int port) {
    return http(unresolved(host, port));
  }

  /** A SOCKS5 proxy at {@code address} (RFC 1928), without authentication unless given. */
  public static ProxySettings socks5(InetSocketAddress address) {
    return new ProxySettings(Kind.SOCKS5, checked(address), null, List.of(), null, null);
  }

  /** A SOCKS5 proxy at {@code host:port}. */
  public static ProxySettings socks5(String host, int port) {
    return socks5(unresolved(host, port));
  }

  /**
   * The JVM's default {@link ProxySelector} (system properties such as {@code http.proxyHost}, or
   * the platform's settings with {@code java.net.useSystemProxies}). Like WinHTTP's automatic
   * proxy, each request reports DETECTING_PROXY when the selector is asked.
   */
  public static ProxySettings system() {
    ProxySelector selector = ProxySelector.getDefault();
    return selector == null ? NONE : selector(selector);
  }

  /**
   * Asks {@code selector} for each request's URI ({@code http://host:port} or
   * {@code https://host:port}) and tries its HTTP, SOCKS and DIRECT entries in order (an empty
   * list connects directly). When a proxy cannot be reached (refused, timed out, its name unknown,
   * or CONNECT refused), {@link ProxySelector#connectFailed} is called with the URI, the proxy's
   * address and the {@link HttpException}, and the next entry is tried; DIRECT only where listed.
   * A rejected login or a 407 ends the trying. When every entry fails, the error names each.
   * Both {@code select} and {@code connectFailed} are called on an I/O thread and must not block.
   * Credentials given with {@link #withCredentials} apply to whichever proxy is tried.
   */
  public static ProxySettings selector(ProxySelector selector) {
    return new ProxySettings(Kind.SELECTOR, null, Objects.requireNonNull(selector, "selector"),
        List.of(), null, null);
  }

  /**
   * The same settings with a bypass list: requests to a matching host connect directly. Each entry
   * is a host name (case-insensitive, exact), {@code *.suffix} (any host ending in
   * {@code .suffix}), an IP literal (IPv6 with or without brackets), or {@code <local>}: any host
   * name without a dot, as WinHTTP means it, plus {@code localhost} and loopback literals. As in
   * WinHTTP's lists, {@code *} may stand anywhere for any run of characters ({@code 10.*},
   * {@code *.example.*}), and a host or bracketed IPv6 literal may end in {@code :port}
   * ({@code intranet.example:8080}, {@code [::1]:9000}) to bypass only that port; a bare IPv6
   * literal has no port part.
   *
   * @throws IllegalArgumentException if an entry is empty, contains spaces, or has a port that is
   *     not 1..65535
   * @throws IllegalStateException on {@link #none()}, which has nothing to bypass
   */
  public ProxySettings withBypass(String... entries) {
    if (kind == Kind.NONE) {
      throw new IllegalStateException("a bypass list needs a proxy");
    }
    List<String> list = new ArrayList<>(bypass);
    for (String entry : entries) {
      if (entry == null || entry.isBlank() || entry.indexOf(' ') >= 0
          || BypassEntry.portOf(entry) == BypassEntry.BAD_PORT) {
        throw new IllegalArgumentException("bypass entries are host names, *.suffix, IP literals or"
            + " <local>, optionally with :port (1..65535): '" + entry + "'");
      }
      list.add(entry.toLowerCase(Locale.ROOT));
    }
    return new ProxySettings(kind, address, selector, list, user, password);
  }

  /**
   * The same proxy with credentials for the proxy itself: HTTP Basic ({@code Proxy-Authorization})
   * or SOCKS5's user/password method (RFC 1929, at most 255 bytes each).
   *
   * @throws IllegalArgumentException if the user is empty or contains ':' or a control character,
   *     or either is longer than 255 UTF-8 bytes
   * @throws IllegalStateException on {@link #none()}
   */
  public ProxySettings withCredentials(String user, String password) {
    if (kind == Kind.NONE) {
      throw new IllegalStateException("credentials need a proxy");
    }
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0 || hasControl(user) || hasControl(password)) {
      throw new IllegalArgumentException("a proxy user must be non-empty, without ':' or control"
          + " characters, and the password without control characters");
    }
    if (utf8Length(user) > 255 || utf8Length(password) > 255) {
      throw new IllegalArgumentException("proxy user and password are limited to 255 bytes each");
    }
    return new ProxySettings(kind, address, selector, bypass, user, password);
  }

  /** The kind of configuration. */
  public Kind kind() {
    return kind;
  }

  /** The proxy's address for {@link Kind#HTTP} and {@link Kind#SOCKS5}, else null. */
  public InetSocketAddress address() {
    return address;
  }

  /** The selector for {@link Kind#SELECTOR}, else null. */
  public ProxySelector selector() {
    return selector;
  }

  /** The bypass entries, lower-cased, in the order given. */
  public List<String> bypass() {
    return bypass;
  }

  /** The proxy user, or null without credentials. */
  public String user() {
    return user;
  }

  /** The proxy password, or null without credentials. */
  public String password() {
    return password;
  }

  /**
   * Whether a request to {@code host} connects directly because the bypass list matches it, on
   * any port: entries with a {@code :port} count as matching their host.
   */
  public boolean bypasses(String host) {
    return bypasses(host, BypassEntry.ANY_PORT);
  }

  /**
   * Whether a request to {@code host} on {@code port} connects directly because the bypass list
   * matches it (host case-insensitively, and the port where the entry names one).
   */
  public boolean bypasses(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : bypass) {
      if (entry.equals("<local>")) {
        if (h.indexOf('.') < 0 && h.indexOf(':') < 0 || h.equals("localhost")
            || h.startsWith("127.") || h.equals("::1")) {
          return true;
        }
        continue;
      }
      int entryPort = BypassEntry.portOf(entry);
      if (entryPort != BypassEntry.ANY_PORT && port != BypassEntry.ANY_PORT && entryPort != port) {
        continue;
      }
      if (BypassEntry.globMatches(BypassEntry.hostOf(entry), h)) {
        return true;
      }
    }
    return false;
  }

  /** The parts of one bypass entry: {@code host[:port]}, {@code [v6][:port]}, or a bare IPv6 literal. */
  private static final class BypassEntry {
    static final int ANY_PORT = -1;
    static final int BAD_PORT = -2;

    /** The entry's port, {@link #ANY_PORT} without one, {@link #BAD_PORT} if it is not 1..65535. */
    static int portOf(String entry) {
      int colon = entry.lastIndexOf(':');
      if (colon < 0 || entry.startsWith("[") && !entry.contains("]:")
          || !entry.startsWith("[") && entry.indexOf(':') != colon) {
        return ANY_PORT; // no port, "[v6]" or a bare IPv6 literal
      }
      String digits = entry.substring(colon + 1);
      if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
        return BAD_PORT;
      }
      int port = Integer.parseInt(digits);
      return port >= 1 && port <= 65535 ? port : BAD_PORT;
    }

    /** The entry without its port and brackets. */
    static String hostOf(String entry) {
      String host = portOf(entry) == ANY_PORT ? entry : entry.substring(0, entry.lastIndexOf(':'));
      return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether {@code host} matches {@code pattern}, where each {@code *} is any run of characters. */
    static boolean globMatches(String pattern, String host) {
      int p = 0;
      int h = 0;
      int star = -1;
      int resume = 0;
      while (h < host.length()) {
        if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == host.charAt(h)) {
          p++;
          h++;
        } else if (p < pattern.length() && pattern.charAt(p) == '*') {
          star = p++;
          resume = h;
        } else if (star >= 0) {
          p = star + 1;
          h = ++resume;
        } else {
          return false;
        }
      }
      while (p < pattern.length() && pattern.charAt(p) == '*') {
        p++;
      }
      return p == pattern.length();
    }
  }

  private static InetSocketAddress checked(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    if (address.getPort() == 0) {
      throw new IllegalArgumentException("a proxy needs a port: " + address);
    }
    return address;
  }

  private static InetSocketAddress unresolved(String host, int port) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("a proxy needs a host name");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("proxy port must be 1..65535: " + port);
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProxySettings p && kind == p.kind && Objects.equals(address, p.address)
        && Objects.equals(selector, p.selector) && bypass.equals(p.bypass)
        && Objects.equals(user, p.user) && Objects.equals(password, p.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, address, selector, bypass, user);
  }

  /** Kind, address, bypass list and user; never the password. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "ProxySettings[none]";
      case SELECTOR -> "ProxySettings[selector " + selector + (user == null ? "" : ", user " + user) + "]";
      default -> "ProxySettings[" + kind.name().toLowerCase(Locale.ROOT) + " " + address.getHostString()
          + ":" + address.getPort() + (bypass.isEmpty() ? "" : ", bypass " + bypass)
          + (user == null ? "" : ", user " + user) + "]";
    };
  }
}
