package dev.telltale;

import dev.telltale.internal.HandleCore;
import dev.telltale.internal.Origin;
import dev.telltale.internal.http1.Http1RequestWriter;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code WinHttpConnect}: names a server (host and port). It opens no connection itself: requests
 * opened from it take connections from the session's pool or open new ones.
 */
public final class Connect implements Handle {
  private final HandleCore core;
  private final Session session;
  private final String host;
  private final int port;
  /** The last origin a request built here: the next request with the same settings reuses it. */
  private volatile Origin lastOrigin;

  private Connect(Session session, HandleCore parent, String host, int port) {
    this.session = session;
    this.host = host;
    this.port = port;
    this.core = new HandleCore(this, HandleType.CONNECT, parent, parent.session());
  }

  static Connect create(Session session, HandleCore parent, String host, int port) {
    String checkedHost = checkHost(host);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
    parent.addChild();
    Connect connect = new Connect(session, parent, checkedHost, port);
    parent.announceCreated(connect);
    return connect;
  }

  private static String checkHost(String host) {
    if (host == null) {
      throw new IllegalArgumentException("host must not be null");
    }
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\') {
        throw new IllegalArgumentException("host contains an invalid character at index " + i);
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /** The server's host name or address literal (IPv6 without brackets). */
  public String host() {
    return host;
  }

  /** The port given to {@link Session#connect}; 0 means each request's default port. */
  public int port() {
    return port;
  }

  /**
   * The origin (and pool key) of a request sent from here with these settings. Origins are
   * immutable, and the requests of one connect handle nearly always share their settings, so the
   * last one is kept rather than one built per request.
   */
  Origin origin(boolean secure, int securityFlags, Set<String> protocols) {
    int flags = secure ? securityFlags : 0;
    Set<String> allowed = secure ? protocols : Set.of();
    Origin last = lastOrigin;
    if (last != null && last.secure() == secure && last.securityFlags() == flags
        && (last.protocols() == allowed || last.protocols().equals(allowed))) {
      return last;
    }
    Origin made = new Origin(secure, host, port == 0 ? (secure ? 443 : 80) : port, flags, allowed);
    lastOrigin = made;
    return made;
  }

  /**
   * {@code WinHttpOpenRequest}: a request for {@code method} and {@code path} (origin form, may
   * include a query; a missing leading slash is added). HANDLE_CREATED is delivered through the new
   * request (which has already copied this handle's callback) before this returns.
   *
   * @param flags {@link OpenRequestFlag#SECURE} for https
   * @throws IllegalArgumentException if the method is not a token or the path holds spaces,
   *     CR, LF or other control characters
   * @throws HandleException INVALID_HANDLE if this handle is closed
   */
  public Request openRequest(String method, String path, OpenRequestFlag... flags) {
    String m = method == null || method.isEmpty() ? "GET" : method;
    Http1RequestWriter.validateMethod(m);
    String p = path == null || path.isEmpty() ? "/" : path;
    if (p.charAt(0) != '/' && !p.equals("*")) {
      p = "/" + p;
    }
    Http1RequestWriter.validateTarget(p);
    Set<OpenRequestFlag> set = EnumSet.noneOf(OpenRequestFlag.class);
    for (OpenRequestFlag flag : flags) {
      set.add(flag);
    }
    core.addChild();
    Request request = new Request(this, core, m, p, set.contains(OpenRequestFlag.SECURE));
    request.announce();
    return request;
  }

  @Override
  public HandleType type() {
    return HandleType.CONNECT;
  }

  /** The session this connect handle belongs to. */
  @Override
  public Session parent() {
    return session;
  }

  @Override
  public StatusCallback setStatusCallback(StatusCallback callback, NotificationFlags flags) {
    return core.setStatusCallback(callback, flags);
  }

  @Override
  public Object context() {
    return core.context();
  }

  @Override
  public void setContext(Object context) {
    core.setContext(context);
  }

  @Override
  public <T> void setOption(Option<T> option, T value) {
    core.setOption(option, value);
  }

  @Override
  public <T> T queryOption(Option<T> option) {
    return core.queryOption(option);
  }

  @Override
  public boolean isClosed() {
    return core.isClosed();
  }

  /** Closes the handle; its HANDLE_CLOSING waits for its requests' own. */
  @Override
  public void close() {
    if (core.markClosed()) {
      core.postClosingWhenChildrenClosed();
    }
  }

  @Override
  public String toString() {
    return "Connect(" + host + ":" + port + (isClosed() ? ", closed)" : ")");
  }
}
