package dev.telltale.internal;

import dev.telltale.NameResolver;
import dev.telltale.internal.loop.LoopGroup;
import dev.telltale.internal.tls.TlsContext;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session owns for all its handles: the I/O threads, the keep-alive pool, the resolver and
 * its small thread pool, and the optional callback executor. Everything stops when the session's
 * HANDLE_CLOSING has been delivered, which happens only after every child has closed.
 */
public final class SessionCore {
  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);
  private static final AtomicInteger resolverThreads = new AtomicInteger();

  private final LoopGroup loops;
  private final ConnectionPool pool;
  private final NameResolver resolver;
  private final ThreadPoolExecutor resolverPool;
  private final Executor callbackExecutor;
  private final TlsContext tls;
  private volatile boolean terminated;
  /** Opened when the session's closing stopped everything: awaitTermination waits for it first. */
  private final CountDownLatch terminating = new CountDownLatch(1);
  private volatile HandleCore sessionHandle;
  private volatile java.net.CookieHandler cookieHandler;

  public SessionCore(int ioThreads, NameResolver resolver, Executor callbackExecutor,
      long idleTimeoutNanos, TlsContext tls) {
    this.tls = tls;
    this.loops = new LoopGroup(ioThreads);
    this.pool = new ConnectionPool(idleTimeoutNanos);
    this.resolver = resolver;
    this.callbackExecutor = callbackExecutor;
    // Resolution may block for seconds: a few daemon threads, created on demand, gone when idle.
    this.resolverPool = new ThreadPoolExecutor(4, 4, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, "telltale-dns-" + resolverThreads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    resolverPool.allowCoreThreadTimeOut(true);
  }

  /** Binds the session handle whose options (user agent, connection limit) apply. */
  public void bind(HandleCore handle) {
    this.sessionHandle = handle;
  }

  /** Sets the session's cookie handler (null: no cookies), once, from the builder. */
  public void cookieHandler(java.net.CookieHandler handler) {
    this.cookieHandler = handler;
  }

  /** The session's cookie handler, or null when cookies are off. */
  java.net.CookieHandler cookieHandler() {
    return cookieHandler;
  }

  String userAgent() {
    return sessionHandle.value(dev.telltale.Option.USER_AGENT);
  }

  int maxConnsPerServer() {
    return sessionHandle.value(dev.telltale.Option.MAX_CONNS_PER_SERVER);
  }

  private final Set<dev.telltale.internal.proxy.ProxyHop> basicProxies =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Whether {@code hop} answered a CONNECT with a Basic challenge before: send credentials at once. */
  boolean proxyWantsBasic(dev.telltale.internal.proxy.ProxyHop hop) {
    return basicProxies.contains(hop);
  }

  void rememberProxyWantsBasic(dev.telltale.internal.proxy.ProxyHop hop) {
    basicProxies.add(hop);
  }

  /** The session's TLS configuration and engine factory. */
  public TlsContext tls() {
    return tls;
  }

  /** The TLS versions the session allows now (for the pool key and new engines). */
  public Set<String> secureProtocols() {
    return sessionHandle.value(dev.telltale.Option.SECURE_PROTOCOLS);
  }

  public LoopGroup loops() {
    return loops;
  }

  public ConnectionPool pool() {
    return pool;
  }

  public NameResolver resolver() {
    return resolver;
  }

  public Executor resolverPool() {
    return resolverPool;
  }

  /** The executor callbacks run on, or null to run them on the I/O threads. */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  public boolean isTerminated() {
    return terminated;
  }

  /** Called once the session's HANDLE_CLOSING was delivered: stop everything. */
  void terminate() {
    terminated = true;
    pool.closeAll();
    loops.stop();
    resolverPool.shutdownNow();
    terminating.countDown();
    log.debug("session terminated");
  }

  /** Waits for the I/O threads to end (tests use it for the leak check). */
  public boolean awaitTermination(long millis) throws InterruptedException {
    // the session's closing is asynchronous (it waits for its children's), so wait for it to
    // begin too, all within the one timeout
    if (loops.isLoopThread() || CallbackDispatcher.isDelivering()) {
      // the close being waited for needs this thread to return first (the session's last
      // HANDLE_CLOSING is delivered after the current callback, on a loop): waiting would only
      // stall it for the whole timeout
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    if (!terminating.await(millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    if (!loops.awaitTermination(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
      return false;
    }
    return resolverPool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
