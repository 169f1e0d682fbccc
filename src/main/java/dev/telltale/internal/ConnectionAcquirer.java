package dev.telltale.internal;

import dev.telltale.CallbackStatus;
import dev.telltale.ErrorCode;
import dev.telltale.internal.loop.TcpTransport;
import dev.telltale.internal.jfr.ConnectionEvent;
import dev.telltale.internal.jfr.JfrEvents;
import dev.telltale.internal.util.Clock;
import dev.telltale.internal.tls.EngineState;
import dev.telltale.internal.tls.SecureFailures;
import dev.telltale.internal.tls.TlsTransport;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.internal.proxy.ConnectRequest;
import dev.telltale.internal.proxy.ProxyHop;
import dev.telltale.internal.proxy.RefusedConnect;
import dev.telltale.internal.proxy.ProxyRouting;
import dev.telltale.StatusEvent;
import dev.telltale.internal.loop.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets an exchange its connection: a pooled one (no notifications, rule 13), a place in the
 * queue when {@code MAX_CONNS_PER_SERVER} is reached, or a new one through a {@link Connector},
 * whose steps it reports as RESOLVING_NAME, NAME_RESOLVED, CONNECTING_TO_SERVER and
 * CONNECTED_TO_SERVER. Runs on the exchange's loop; keeps the pool's count of connections right
 * whatever happens (a cancelled request gives its place or its connection back).
 *
 * <p>When a ProxySelector lists several ways, a proxy that cannot be reached (refused, timed out,
 * its name unknown, or CONNECT refused) is reported to {@code ProxySelector.connectFailed} and the
 * next entry is tried, each attempt with its own connect notifications. A WebSocket upgrade
 * through an HTTP proxy always tunnels (see {@link ProxyHop#alwaysTunnel}).
 */
final class ConnectionAcquirer
    implements Connector.Listener, ConnectionPool.Waiter, TlsHandshake.Listener, ProxyTunnel.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConnectionAcquirer.class);

  /** Told the outcome, on the loop. */
  interface Client {
    void onConnection(Connection connection, boolean reused);

    void onAcquireFailed(HttpException error);

    /** {@code hop} with the request's own proxy credentials when the proxy settings have none. */
    ProxyHop credentialed(ProxyHop hop);
  }

  private final EventLoop loop;
  private final HandleCore core;
  private final CallbackDispatcher events;
  private final ConnectionPool pool;
  private final Client client;
  private final TimingRecorder timing;
  /** The request's origin without a proxy, as the exchange asked for it. */
  private Origin requested;
  /** The ways to {@link #requested} and the index of the one being tried. */
  private ProxyRouting.Route ways;
  private int attempt;
  /** Each way tried in vain so far, with why, for the final error. */
  private List<String> tried; // made on the first failure: most requests fail over never
  private Origin origin;
  private Connector connector;
  /** The CONNECT or SOCKS5 handshake under way, so that cancel() can end it; else null. */
  private ProxyTunnel tunnel;
  /** The TLS handshake in progress, so that cancel() can end it. */
  private TlsHandshake handshake;
  private boolean queued;
  private boolean active;
  private ConnectionEvent jfrEvent;

  ConnectionAcquirer(EventLoop loop, HandleCore core, Client client, TimingRecorder timing) {
    this.timing = timing;
    this.loop = loop;
    this.core = core;
    this.events = core.dispatcher();
    this.pool = core.session().pool();
    this.client = client;
  }

  /**
   * The request's origin with the first proxy its PROXY option picks for it (DETECTING_PROXY first
   * when a ProxySelector is asked), the others kept for failover; or null after reporting a
   * selector failure to the client.
   */
  private Origin route(Origin target) {
    ProxySettings settings = core.value(Option.PROXY);
    if (settings.kind() == ProxySettings.Kind.SELECTOR && !settings.bypasses(target.host(), target.port())
        && events.wants(CallbackStatus.DETECTING_PROXY)) {
      events.emit(StatusEvent.DetectingProxy.INSTANCE);
    }
    try {
      ways = ProxyRouting.route(settings, target.secure(), target.host(), target.port());
    } catch (RuntimeException e) {
      active = false;
      client.onAcquireFailed(new HttpException(ErrorCode.AUTODETECTION_FAILED,
          "the proxy selector failed for " + target + ": " + e, e));
      return null;
    }
    requested = target;
    attempt = 0;
    tried = null;
    return candidate();
  }

  /**
   * The origin through the way being tried. A WebSocket upgrade to a plain ws:// origin through an
   * HTTP proxy tunnels with CONNECT, as browsers, OkHttp and Jetty do: proxies in absolute form do
   * not forward {@code Upgrade} (tinyproxy drops it), and the tunnel flag keeps such connections
   * apart from absolute-form ones in the pool.
   */
  private Origin candidate() {
    ProxyHop hop = ways.candidates().get(attempt).hop();
    if (hop == null) {
      return requested.via(null);
    }
    boolean upgrade = Boolean.TRUE.equals(core.value(Option.UPGRADE_TO_WEB_SOCKET));
    return requested.via(client.credentialed(hop).withAlwaysTunnel(upgrade && !requested.secure()));
  }

  /** Starts getting a connection to {@code target}, through the proxy its settings pick. */
  void acquire(Origin request) {
    active = true;
    Origin target = route(request);
    if (target == null) {
      return;
    }
    lease(target);
  }

  /** Takes a pooled connection to {@code target}, a place in its queue, or opens one. */
  private void lease(Origin target) {
    origin = target;
    ConnectionPool.Lease lease = pool.acquire(target, core.session().maxConnsPerServer(), this, loop);
    if (lease instanceof ConnectionPool.Reuse reuse) {
      timing.notQueued();
      takeOver(reuse.connection());
    } else if (lease instanceof ConnectionPool.Create) {
      timing.notQueued();
      open();
    } else {
      queued = true;
    }
  }

  /** Opens a fresh connection in place of one that just died (a retry). */
  void replace(Origin request) {
    active = true;
    Origin target = route(request);
    if (target == null) {
      return;
    }
    origin = target;
    pool.reserve(target);
    open();
  }

  /** The request no longer wants a connection: give back whatever is under way. */
  void cancel() {
    active = false;
    if (tunnel != null) {
      tunnel.abandon(); // a silent proxy would otherwise hold the socket until CONNECT_TIMEOUT
    }
    if (handshake != null) {
      handshake.abandon(); // so would a server that never answers the ClientHello
    }
    if (connector != null) {
      connector.abandon();
      connector = null;
      pool.forget(origin);
    }
    if (queued) {
      queued = false;
      pool.cancelWaiter(origin, this);
    }
  }

  @Override
  public void grant(Connection idle) {
    loop.execute(() -> {
      queued = false;
      if (!active) {
        if (idle != null) {
          idle.loop().execute(() -> pool.release(idle));
        } else {
          pool.forget(origin);
        }
      } else {
        // only a live acquisition counts its wait: an ended request's timings are final
        timing.leaseGranted(Clock.nanoTime());
        if (idle == null) {
          open();
        } else {
          takeOver(idle);
        }
      }
    });
  }

  /**
   * Takes a pooled connection over. One on another loop is first detached there (that loop may
   * still be dispatching its readiness), then handed to this loop.
   */
  private void takeOver(Connection connection) {
    EventLoop from = connection.loop();
    if (from == loop) {
      deliver(connection, true);
      return;
    }
    from.execute(() -> {
      connection.detach();
      loop.execute(() -> arrive(connection));
    });
  }

  private void arrive(Connection connection) {
    if (active) {
      deliver(connection, true);
      return;
    }
    try {
      connection.bindTo(loop, null); // not wanted any more: back to the pool, from this loop
      pool.release(connection);
    } catch (java.io.IOException e) {
      pool.discard(connection);
    }
  }

  private void open() {
    jfrEvent = JfrEvents.beginConnection();
    connector = new Connector(loop, origin, core.session().resolver(), core.session().resolverPool(),
        core.value(Option.RESOLVE_TIMEOUT), core.value(Option.CONNECT_TIMEOUT), this);
    connector.start();
  }

  private void deliver(Connection connection, boolean reused) {
    active = false;
    if (!reused) {
      commitJfr(connection, null);
    }
    client.onConnection(connection, reused);
  }

  @Override
  public void resolving(String host) {
    timing.resolving(Clock.nanoTime());
    if (events.wants(CallbackStatus.RESOLVING_NAME)) {
      events.emit(new StatusEvent.ResolvingName(host));
    }
  }

  @Override
  public void resolved(String host, List<InetAddress> addresses) {
    timing.resolved(Clock.nanoTime());
    if (events.wants(CallbackStatus.NAME_RESOLVED)) {
      events.emit(new StatusEvent.NameResolved(host, addresses));
    }
  }

  @Override
  public void connecting(InetSocketAddress address) {
    timing.connecting(Clock.nanoTime());
    if (events.wants(CallbackStatus.CONNECTING_TO_SERVER)) {
      events.emit(new StatusEvent.ConnectingToServer(address));
    }
  }

  @Override
  public void connected(Connection connection) {
    connector = null;
    timing.connected(Clock.nanoTime());
    pool.track(connection);
    if (!active) {
      pool.discard(connection);
      return;
    }
    if (events.wants(CallbackStatus.CONNECTED_TO_SERVER)) {
      events.emit(new StatusEvent.ConnectedToServer(connection.remoteAddress()));
    }
    if (origin.proxy() != null && origin.proxy().tunnels(origin.secure())) {
      tunnel = new ProxyTunnel(connection, core.session().proxyWantsBasic(anonymous(origin.proxy())),
          core.session().userAgent(), core.value(Option.CONNECT_TIMEOUT), this);
      tunnel.start();
    } else {
      afterTunnel(connection);
    }
  }

  private void afterTunnel(Connection connection) {
    if (origin.secure()) {
      startTls(connection);
    } else {
      deliver(connection, false);
    }
  }

  @Override
  public void tunnelOpen(Connection connection) {
    tunnel = null;
    if (!active) {
      pool.discard(connection);
      return;
    }
    afterTunnel(connection);
  }

  @Override
  public void tunnelFailed(Connection connection, HttpException error) {
    tunnel = null;
    pool.discard(connection);
    if (!active) {
      return;
    }
    commitJfr(connection, error.code());
    // a proxy that refuses CONNECT (or whose SOCKS5 server cannot connect) may have a sibling that
    // can; a rejected login or a timeout after the proxy accepted is not a proxy that is down
    if (error.code() == ErrorCode.CANNOT_CONNECT && failOver(error)) {
      return;
    }
    active = false;
    client.onAcquireFailed(finalError(error));
  }

  /**
   * Records why the way being tried failed, tells the selector, and tries the next way if there is
   * one; false when there is none (the caller reports {@link #finalError}).
   */
  private boolean failOver(HttpException error) {
    ProxyRouting.Candidate failed = ways.candidates().get(attempt);
    if (tried == null) {
      tried = new ArrayList<>(2);
    }
    tried.add(failed + " (" + error.getMessage() + ")");
    try {
      // on the I/O thread, as documented on ProxySettings.selector: the selector must not block
      ways.connectFailed(failed, error);
    } catch (RuntimeException e) {
      log.debug("ProxySelector.connectFailed threw for {}; ignored", failed, e);
    }
    if (attempt + 1 >= ways.candidates().size()) {
      return false;
    }
    attempt++;
    log.debug("{} failed for {}; trying {}", failed, requested, ways.candidates().get(attempt));
    lease(candidate());
    return true;
  }

  /** {@code last}, or when several ways were tried, the same code naming each with its failure. */
  private HttpException finalError(HttpException last) {
    List<String> all = tried == null ? new ArrayList<>(1) : new ArrayList<>(tried);
    if (all.size() == attempt) { // a failure that ends the trying (a rejected login) is not in it yet
      all.add(ways.candidates().get(attempt) + " (" + last.getMessage() + ")");
    }
    if (all.size() < 2) {
      return last;
    }
    return new HttpException(last.code(), "none of the ways the proxy selector offered to "
        + requested + " worked; tried " + String.join("; ", all), last);
  }

  @Override
  public void tunnelWantsCredentials(Connection connection) {
    tunnel = null;
    // remembered for the session: later tunnels through this proxy send the credentials at once
    core.session().rememberProxyWantsBasic(anonymous(origin.proxy()));
    pool.discard(connection);
    if (!active) {
      return;
    }
    pool.reserve(origin);
    open();
  }

  @Override
  public void tunnelRefused(Connection connection, RefusedConnect refusal) {
    tunnel = null;
    if (!active) {
      pool.discard(connection);
      return;
    }
    if (ConnectRequest.offersBasic(refusal.head())) {
      // the application answers it (WinHTTP's 407, setCredentials(PROXY), send again): that next
      // tunnel sends the Basic credentials at once instead of meeting the same 407 first
      core.session().rememberProxyWantsBasic(anonymous(origin.proxy()));
    }
    connection.refuseTunnel(refusal); // the request receives the 407; the connection is closed after it
    active = false;
    commitJfr(connection, ErrorCode.LOGIN_FAILURE);
    client.onConnection(connection, false);
  }

  /**
   * What the session remembers a proxy by when it asked for Basic: its place, not the credentials
   * it was given, so credentials set after its 407 go out with the next CONNECT.
   */
  private static ProxyHop anonymous(ProxyHop hop) {
    return hop.withCredentials(null, null).withAlwaysTunnel(false);
  }

  private void startTls(Connection connection) {
    TlsTransport tls;
    try {
      SSLEngine engine = core.session().tls().newEngine(origin.host(), origin.port(),
          dev.telltale.SecurityFlag.fromMask(origin.securityFlags()), origin.protocols());
      tls = new TlsTransport((TcpTransport) connection.transport(), engine);
    } catch (SSLException | RuntimeException e) {
      handshakeFailed(connection, e);
      return;
    }
    connection.useTransport(tls);
    handshake = new TlsHandshake(connection, tls, core.value(Option.CONNECT_TIMEOUT), this);
    handshake.start();
  }

  @Override
  public void handshakeDone(Connection connection) {
    handshake = null;
    timing.tlsDone(Clock.nanoTime());
    if (!active) {
      pool.discard(connection);
      return;
    }
    deliver(connection, false);
  }

  @Override
  public void handshakeFailed(Connection connection, Exception failure) {
    handshake = null;
    pool.discard(connection);
    if (!active) {
      return;
    }
    active = false;
    if (failure instanceof HttpException timeout) {
      commitJfr(connection, timeout.code());
      client.onAcquireFailed(timeout);
      return;
    }
    EngineState state = connection.transport() instanceof TlsTransport tls
        ? core.session().tls().state(tls.engine()) : null;
    SecureFailures.Verdict verdict =
        SecureFailures.classify(failure, state != null && state.clientCertificateMissing());
    commitJfr(connection, verdict.code());
    if (verdict.code() == ErrorCode.SECURE_FAILURE && events.wants(CallbackStatus.SECURE_FAILURE)) {
      events.emit(new StatusEvent.SecureFailure(verdict.flags()));
    }
    String why = verdict.code() == ErrorCode.CLIENT_AUTH_CERT_NEEDED
        ? "the server requires a client certificate and the session has none"
        : "TLS with " + origin + " failed " + verdict.flags();
    client.onAcquireFailed(new HttpException(verdict.code(), why + ": " + failure.getMessage(), failure));
  }

  /** Ends the connection event: established ({@code error} null), or not. */
  private void commitJfr(Connection connection, ErrorCode error) {
    ConnectionEvent event = jfrEvent;
    if (event == null) {
      return;
    }
    jfrEvent = null;
    event.end();
    if (event.shouldCommit()) {
      event.host = origin.host();
      event.port = origin.port();
      event.secure = origin.secure();
      event.address = connection == null ? "" : String.valueOf(connection.remoteAddress());
      event.tlsProtocol = connection != null && connection.transport() instanceof TlsTransport tls
          && error == null ? tls.engine().getSession().getProtocol() : "";
      event.error = error == null ? "" : error.name();
      event.commit();
    }
  }

  @Override
  public void failed(HttpException error) {
    commitJfr(null, error.code());
    connector = null;
    pool.forget(origin);
    if (!active) {
      return;
    }
    ErrorCode code = error.code();
    if ((code == ErrorCode.CANNOT_CONNECT || code == ErrorCode.TIMEOUT
        || code == ErrorCode.NAME_NOT_RESOLVED) && failOver(error)) {
      return;
    }
    active = false;
    client.onAcquireFailed(finalError(error));
  }
}
