package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NameResolver;
import dev.telltale.Timeouts;
import dev.telltale.internal.loop.Deadline;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.TcpTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Opens a new connection for one exchange: resolves the host (the proxy's, when there is one)
 * off the loop (the resolver may block), then races connection attempts on the loop, Happy
 * Eyeballs style (RFC 8305 §5): the addresses are interleaved by family, starting with the family
 * the resolver put first; a new attempt starts every {@link #STAGGER_NANOS} while earlier ones are
 * still pending, or at once when one fails; the first to connect wins and the others are closed.
 * The connect timeout covers the whole race. Tells its {@link Listener} every step, so the
 * exchange can report RESOLVING_NAME, NAME_RESOLVED, one CONNECTING_TO_SERVER per attempt and one
 * CONNECTED_TO_SERVER for the winner.
 */
final class Connector {
  /** RFC 8305's recommended "connection attempt delay": 250 ms. */
  static final long STAGGER_NANOS = 250_000_000L;

  /** Told each step, on the loop. */
  interface Listener {
    void resolving(String host);

    void resolved(String host, List<InetAddress> addresses);

    void connecting(InetSocketAddress address);

    void connected(Connection connection);

    void failed(HttpException error);
  }

  /** One connection attempt in the race. */
  private static final class Attempt {
    final InetSocketAddress address;
    final TcpTransport transport;
    SelectionKey key;

    Attempt(InetSocketAddress address, TcpTransport transport) {
      this.address = address;
      this.transport = transport;
    }
  }

  private final EventLoop loop;
  private final Origin origin;
  private final NameResolver resolver;
  private final Executor resolverPool;
  private final Duration resolveTimeout;
  private final Duration connectTimeout;
  private final Listener listener;
  private final long staggerNanos;
  private final List<Attempt> pending = new ArrayList<>(2);
  private List<InetAddress> addresses;
  private int nextAddress;
  private Deadline deadline;
  private Deadline stagger;
  private HttpException lastFailure;
  private boolean finished;

  Connector(EventLoop loop, Origin origin, NameResolver resolver, Executor resolverPool,
      Duration resolveTimeout, Duration connectTimeout, Listener listener) {
    this(loop, origin, resolver, resolverPool, resolveTimeout, connectTimeout, listener, STAGGER_NANOS);
  }

  /** As above, with another stagger between attempts (tests make it huge or tiny). */
  Connector(EventLoop loop, Origin origin, NameResolver resolver, Executor resolverPool,
      Duration resolveTimeout, Duration connectTimeout, Listener listener, long staggerNanos) {
    this.loop = loop;
    this.origin = origin;
    this.resolver = resolver;
    this.resolverPool = resolverPool;
    this.resolveTimeout = resolveTimeout;
    this.connectTimeout = connectTimeout;
    this.listener = listener;
    this.staggerNanos = staggerNanos;
  }

  /** Starts resolving. On the loop. */
  void start() {
    String host = origin.dialHost();
    listener.resolving(host);
    if (finished) {
      return; // the listener gave up inside its callback
    }
    if (!Timeouts.isInfinite(resolveTimeout)) {
      deadline = loop.schedule(resolveTimeout.toNanos(), () -> fail(new HttpException(
          ErrorCode.TIMEOUT, "resolving " + host + " took longer than " + resolveTimeout)));
    }
    try {
      resolverPool.execute(this::resolveOffLoop);
    } catch (RejectedExecutionException e) {
      fail(new HttpException(ErrorCode.OPERATION_CANCELLED, "the session is closing", e));
    }
  }

  private void resolveOffLoop() {
    String host = origin.dialHost();
    try {
      List<InetAddress> found = List.copyOf(resolver.resolve(host));
      if (found.isEmpty()) {
        throw new UnknownHostException(host + ": no addresses");
      }
      loop.submit(() -> onResolved(found));
    } catch (UnknownHostException e) {
      loop.submit(() -> fail(new HttpException(ErrorCode.NAME_NOT_RESOLVED,
          "cannot resolve " + host + (origin.proxy() == null ? "" : " (the proxy)"), e)));
    } catch (Throwable e) {
      loop.submit(() -> fail(new HttpException(ErrorCode.NAME_NOT_RESOLVED,
          "resolver failed for " + host + ": " + e, e)));
    }
  }

  private void onResolved(List<InetAddress> found) {
    if (finished) {
      return;
    }
    cancelDeadline();
    listener.resolved(origin.dialHost(), found);
    addresses = interleave(found);
    if (finished) {
      return;
    }
    if (!Timeouts.isInfinite(connectTimeout)) {
      deadline = loop.schedule(connectTimeout.toNanos(), () -> fail(new HttpException(
          ErrorCode.TIMEOUT, "connecting to " + origin.dialHost() + " (" + addresses.size()
              + (addresses.size() == 1 ? " address" : " addresses") + ") took longer than " + connectTimeout)));
    }
    startAttempt();
  }

  /**
   * RFC 8305 §4: alternate the address families, starting with the family of the first address,
   * keeping the resolver's order within each family.
   */
  static List<InetAddress> interleave(List<InetAddress> resolved) {
    // one attempt per distinct address: resolvers that merge sources (hosts file and DNS, or
    // A and AAAA answers with a CNAME chain) repeat addresses, and a refused address tried
    // again only delays the outcome
    List<InetAddress> found = List.copyOf(new LinkedHashSet<>(resolved));
    if (found.isEmpty()) {
      return found;
    }
    boolean firstIs6 = found.get(0) instanceof Inet6Address;
    List<InetAddress> first = new ArrayList<>();
    List<InetAddress> second = new ArrayList<>();
    for (InetAddress address : found) {
      ((address instanceof Inet6Address) == firstIs6 ? first : second).add(address);
    }
    List<InetAddress> out = new ArrayList<>(found.size());
    for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
      if (i < first.size()) {
        out.add(first.get(i));
      }
      if (i < second.size()) {
        out.add(second.get(i));
      }
    }
    return out;
  }

  /** Starts the next address's attempt, and arms the stagger for the one after it. */
  private void startAttempt() {
    cancelStagger();
    if (finished) {
      return;
    }
    if (nextAddress >= addresses.size()) {
      if (pending.isEmpty()) {
        fail(lastFailure);
      }
      return;
    }
    InetSocketAddress address = new InetSocketAddress(addresses.get(nextAddress++), origin.dialPort());
    listener.connecting(address);
    if (finished) {
      return;
    }
    Attempt attempt = null;
    try {
      SocketChannel channel = SocketChannel.open();
      attempt = new Attempt(address, new TcpTransport(channel));
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (channel.connect(address)) {
        onConnected(attempt);
        return;
      }
      Attempt registered = attempt;
      attempt.key = loop.register(channel, SelectionKey.OP_CONNECT, (key, ops) -> finishConnect(registered));
      pending.add(attempt);
    } catch (IOException e) {
      attemptFailed(attempt, connectError(address, e));
      return;
    }
    if (nextAddress < addresses.size()) {
      stagger = loop.schedule(staggerNanos, this::startAttempt);
    }
  }

  private void finishConnect(Attempt attempt) {
    try {
      if (((SocketChannel) attempt.key.channel()).finishConnect()) {
        onConnected(attempt);
      }
    } catch (IOException e) {
      attemptFailed(attempt, connectError(attempt.address, e));
    }
  }

  private HttpException connectError(InetSocketAddress address, IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    return new HttpException(ErrorCode.CANNOT_CONNECT, "cannot connect to " + text(address)
        + (origin.proxy() == null ? "" : " (the proxy " + origin.proxy() + ")") + ": " + why, e);
  }

  /** {@code 127.0.0.1:80}, without the slash {@link InetSocketAddress#toString()} puts first. */
  static String text(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private void onConnected(Attempt winner) {
    pending.remove(winner);
    if (finished) {
      winner.transport.close();
      return;
    }
    finished = true;
    cancelDeadline();
    cancelStagger();
    closePending(); // the losers of the race
    Connection connection = new Connection(origin, winner.transport, winner.address);
    try {
      connection.adopt(loop, winner.key); // keep the key: no second registration
    } catch (IOException e) {
      connection.close();
      listener.failed(new HttpException(ErrorCode.CANNOT_CONNECT,
          "cannot register the connection to " + winner.address + ": " + e.getMessage(), e));
      return;
    }
    listener.connected(connection);
  }

  /** One attempt failed: the next address starts now, without waiting for the stagger. */
  private void attemptFailed(Attempt attempt, HttpException error) {
    if (attempt != null) {
      pending.remove(attempt);
      attempt.transport.close();
    }
    lastFailure = error;
    startAttempt();
  }

  private void fail(HttpException error) {
    if (finished) {
      return;
    }
    finished = true;
    cancelDeadline();
    cancelStagger();
    closePending();
    listener.failed(error);
  }

  /** Gives up (the request was closed): closes any socket being connected, tells nobody. */
  void abandon() {
    finished = true;
    cancelDeadline();
    cancelStagger();
    closePending();
  }

  private void closePending() {
    for (Attempt attempt : pending) {
      attempt.transport.close(); // closing the channel cancels its key
    }
    pending.clear();
  }

  private void cancelStagger() {
    if (stagger != null) {
      stagger.cancel();
      stagger = null;
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
