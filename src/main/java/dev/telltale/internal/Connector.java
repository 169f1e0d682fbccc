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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Opens a new connection for one exchange: resolves the host off the loop (the resolver may
 * block), then tries each address in turn on the loop with a connect deadline per attempt. Tells
 * its {@link Listener} every step, so the exchange can report RESOLVING_NAME … CONNECTED_TO_SERVER.
 */
final class Connector {
  /** Told each step, on the loop. */
  interface Listener {
    void resolving(String host);

    void resolved(String host, List<InetAddress> addresses);

    void connecting(InetSocketAddress address);

    void connected(Connection connection);

    void failed(HttpException error);
  }

  private final EventLoop loop;
  private final Origin origin;
  private final NameResolver resolver;
  private final Executor resolverPool;
  private final Duration resolveTimeout;
  private final Duration connectTimeout;
  private final Listener listener;
  private List<InetAddress> addresses;
  private int nextAddress;
  private Deadline deadline;
  private TcpTransport attempt;
  private SelectionKey attemptKey;
  private HttpException lastFailure;
  private boolean finished;

  Connector(EventLoop loop, Origin origin, NameResolver resolver, Executor resolverPool,
      Duration resolveTimeout, Duration connectTimeout, Listener listener) {
    this.loop = loop;
    this.origin = origin;
    this.resolver = resolver;
    this.resolverPool = resolverPool;
    this.resolveTimeout = resolveTimeout;
    this.connectTimeout = connectTimeout;
    this.listener = listener;
  }

  /** Starts resolving. On the loop. */
  void start() {
    listener.resolving(origin.host());
    if (finished) {
      return; // the listener gave up inside its callback
    }
    if (!Timeouts.isInfinite(resolveTimeout)) {
      deadline = loop.schedule(resolveTimeout.toNanos(), () -> fail(new HttpException(
          ErrorCode.TIMEOUT, "resolving " + origin.host() + " took longer than " + resolveTimeout)));
    }
    try {
      resolverPool.execute(this::resolveOffLoop);
    } catch (RejectedExecutionException e) {
      fail(new HttpException(ErrorCode.OPERATION_CANCELLED, "the session is closing", e));
    }
  }

  private void resolveOffLoop() {
    try {
      List<InetAddress> found = List.copyOf(resolver.resolve(origin.host()));
      if (found.isEmpty()) {
        throw new UnknownHostException(origin.host() + ": no addresses");
      }
      loop.submit(() -> onResolved(found));
    } catch (UnknownHostException e) {
      loop.submit(() -> fail(new HttpException(ErrorCode.NAME_NOT_RESOLVED,
          "cannot resolve " + origin.host(), e)));
    } catch (Throwable e) {
      loop.submit(() -> fail(new HttpException(ErrorCode.NAME_NOT_RESOLVED,
          "resolver failed for " + origin.host() + ": " + e, e)));
    }
  }

  private void onResolved(List<InetAddress> found) {
    if (finished) {
      return;
    }
    cancelDeadline();
    addresses = found;
    listener.resolved(origin.host(), found);
    tryNextAddress();
  }

  private void tryNextAddress() {
    if (finished) {
      return;
    }
    if (nextAddress >= addresses.size()) {
      fail(lastFailure);
      return;
    }
    InetSocketAddress address = new InetSocketAddress(addresses.get(nextAddress++), origin.port());
    listener.connecting(address);
    if (finished) {
      return;
    }
    try {
      SocketChannel channel = SocketChannel.open();
      attempt = new TcpTransport(channel);
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (channel.connect(address)) {
        onConnected(address);
        return;
      }
      attemptKey =
          loop.register(channel, SelectionKey.OP_CONNECT, (key, ops) -> finishConnect(key, address));
      if (!Timeouts.isInfinite(connectTimeout)) {
        deadline = loop.schedule(connectTimeout.toNanos(), () -> attemptFailed(new HttpException(
            ErrorCode.TIMEOUT, "connecting to " + text(address) + " took longer than " + connectTimeout)));
      }
    } catch (IOException e) {
      attemptFailed(connectError(address, e));
    }
  }

  private void finishConnect(SelectionKey key, InetSocketAddress address) {
    try {
      if (((SocketChannel) key.channel()).finishConnect()) {
        onConnected(address);
      }
    } catch (IOException e) {
      attemptFailed(connectError(address, e));
    }
  }

  private static HttpException connectError(InetSocketAddress address, IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    return new HttpException(ErrorCode.CANNOT_CONNECT, "cannot connect to " + text(address) + ": " + why, e);
  }

  /** {@code 127.0.0.1:80}, without the slash {@link InetSocketAddress#toString()} puts first. */
  static String text(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private void onConnected(InetSocketAddress address) {
    cancelDeadline();
    if (finished) {
      return;
    }
    finished = true;
    Connection connection = new Connection(origin, attempt, address);
    attempt = null;
    try {
      connection.adopt(loop, attemptKey); // keep the key: no second registration
    } catch (IOException e) {
      connection.close();
      listener.failed(new HttpException(ErrorCode.CANNOT_CONNECT,
          "cannot register the connection to " + address + ": " + e.getMessage(), e));
      return;
    } finally {
      attemptKey = null;
    }
    listener.connected(connection);
  }

  private void attemptFailed(HttpException error) {
    cancelDeadline();
    if (attempt != null) {
      attempt.close();
      attempt = null;
      attemptKey = null;
    }
    lastFailure = error;
    tryNextAddress();
  }

  private void fail(HttpException error) {
    if (finished) {
      return;
    }
    finished = true;
    cancelDeadline();
    if (attempt != null) {
      attempt.close();
      attempt = null;
    }
    listener.failed(error);
  }

  /** Gives up (the request was closed): closes any socket being connected, tells nobody. */
  void abandon() {
    finished = true;
    cancelDeadline();
    if (attempt != null) {
      attempt.close();
      attempt = null;
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
