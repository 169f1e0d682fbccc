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
import dev.telltale.StatusEvent;
import dev.telltale.internal.loop.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Gets an exchange its connection: a pooled one (no notifications, rule 13), a place in the
 * queue when {@code MAX_CONNS_PER_SERVER} is reached, or a new one through a {@link Connector},
 * whose steps it reports as RESOLVING_NAME, NAME_RESOLVED, CONNECTING_TO_SERVER and
 * CONNECTED_TO_SERVER. Runs on the exchange's loop; keeps the pool's count of connections right
 * whatever happens (a cancelled request gives its place or its connection back).
 */
final class ConnectionAcquirer
    implements Connector.Listener, ConnectionPool.Waiter, TlsHandshake.Listener {
  /** Told the outcome, on the loop. */
  interface Client {
    void onConnection(Connection connection, boolean reused);

    void onAcquireFailed(HttpException error);
  }

  private final EventLoop loop;
  private final HandleCore core;
  private final CallbackDispatcher events;
  private final ConnectionPool pool;
  private final Client client;
  private final TimingRecorder timing;
  private Origin origin;
  private Connector connector;
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

  /** Starts getting a connection to {@code target}. */
  void acquire(Origin target) {
    origin = target;
    active = true;
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
  void replace(Origin target) {
    origin = target;
    active = true;
    pool.reserve(target);
    open();
  }

  /** The request no longer wants a connection: give back whatever is under way. */
  void cancel() {
    active = false;
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
      timing.leaseGranted(Clock.nanoTime());
      if (!active) {
        if (idle != null) {
          idle.loop().execute(() -> pool.release(idle));
        } else {
          pool.forget(origin);
        }
      } else if (idle == null) {
        open();
      } else {
        takeOver(idle);
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
    if (origin.secure()) {
      startTls(connection);
    } else {
      deliver(connection, false);
    }
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
    new TlsHandshake(connection, tls, core.value(Option.CONNECT_TIMEOUT), this).start();
  }

  @Override
  public void handshakeDone(Connection connection) {
    timing.tlsDone(Clock.nanoTime());
    if (!active) {
      pool.discard(connection);
      return;
    }
    deliver(connection, false);
  }

  @Override
  public void handshakeFailed(Connection connection, Exception failure) {
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
    if (active) {
      active = false;
      client.onAcquireFailed(error);
    }
  }
}
