package dev.telltale;

import dev.telltale.internal.HandleCore;
import dev.telltale.internal.SessionCore;
import dev.telltale.internal.tls.TlsContext;
import java.net.CookieHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code WinHttpOpen}: the root handle. A session owns the I/O threads (one per core by default),
 * the keep-alive connection pool shared by all its connect handles, and the resolver. Its threads
 * are daemons and end once the session and all its children are closed.
 *
 * <pre>{@code
 * try (Session session = Session.builder().userAgent("my-app/1.0").build()) {
 *   session.setStatusCallback((h, ctx, e) -> System.out.println(e), NotificationFlags.ALL_NOTIFICATIONS);
 *   Connect connect = session.connect("example.com", 80);
 *   ...
 * }
 * }</pre>
 */
public final class Session implements Handle {
  private final HandleCore core;
  private final SessionCore engine;
  private final SSLContext sslContext;

  private Session(Builder builder) {
    this.engine = new SessionCore(builder.ioThreads, builder.resolver, builder.callbackExecutor,
        builder.idleTimeout.toNanos(),
        new TlsContext(builder.sslContext, builder.trustManager, builder.keyManager));
    this.core = new HandleCore(this, HandleType.SESSION, null, engine);
    engine.bind(core);
    engine.cookieHandler(builder.cookieHandler);
    this.sslContext = builder.sslContext;
    core.setOption(Option.USER_AGENT, builder.userAgent);
    core.setOption(Option.PROXY, builder.proxy);
    applyTimeouts(builder.timeouts);
  }

  /** A session with default settings. */
  public static Session open() {
    return builder().build();
  }

  /** A builder for a session with non-default settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code WinHttpConnect}: a connect handle for {@code host} and {@code port} (0 = the default port
   * of each request's scheme). No network activity happens until a request is sent.
   * HANDLE_CREATED is delivered through this session's callback before this returns.
   *
   * @throws IllegalArgumentException if the host is null, empty or malformed, or the port is
   *     outside 0..65535
   * @throws HandleException INVALID_HANDLE if the session is closed
   */
  public Connect connect(String host, int port) {
    return Connect.create(this, core, host, port);
  }

  /**
   * {@code WinHttpSetTimeouts}: the timeouts for requests created from now on.
   *
   * @throws HandleException INVALID_HANDLE if the session is closed
   */
  public void setTimeouts(Timeouts timeouts) {
    core.checkOpen();
    applyTimeouts(Objects.requireNonNull(timeouts, "timeouts"));
  }

  private void applyTimeouts(Timeouts timeouts) {
    core.setOption(Option.RESOLVE_TIMEOUT, timeouts.resolve());
    core.setOption(Option.CONNECT_TIMEOUT, timeouts.connect());
    core.setOption(Option.SEND_TIMEOUT, timeouts.send());
    core.setOption(Option.RECEIVE_TIMEOUT, timeouts.receive());
    core.setOption(Option.RECEIVE_RESPONSE_TIMEOUT, timeouts.receiveResponse());
  }

  /** The TLS context requests of this session use (the JDK's default unless the builder set one). */
  public SSLContext sslContext() {
    return sslContext;
  }

  @Override
  public HandleType type() {
    return HandleType.SESSION;
  }

  /** Always null: a session has no parent. */
  @Override
  public Handle parent() {
    return null;
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

  /**
   * Closes the session. Its HANDLE_CLOSING comes after every child's; then idle connections are
   * closed and the I/O threads end.
   */
  @Override
  public void close() {
    if (core.markClosed()) {
      core.postClosingWhenChildrenClosed();
    }
  }

  /**
   * Waits up to {@code timeout} for the session to finish closing and its threads to end. The
   * session finishes closing once {@link #close()} was called and every handle under it was closed
   * (its HANDLE_CLOSING is delivered then). Useful in tests and at application shutdown.
   *
   * @return whether the session's threads all ended within {@code timeout}; false if the session
   *     is still open, or waits for a child handle to close, when the time is up; false at once
   *     when called from a status callback or a completion running on the session's I/O thread,
   *     since the close it waits for needs that thread to return first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return engine.awaitTermination(Math.max(1, timeout.toMillis()));
  }

  @Override
  public String toString() {
    return "Session" + (isClosed() ? "(closed)" : "");
  }

  /** Settings for a new {@link Session}. */
  public static final class Builder {
    private String userAgent = Option.USER_AGENT.defaultValue();
    private Timeouts timeouts = Timeouts.defaults();
    private SSLContext sslContext;
    private X509TrustManager trustManager;
    private X509KeyManager keyManager;
    private Executor callbackExecutor;
    private NameResolver resolver = NameResolver.SYSTEM;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private Duration idleTimeout = Duration.ofSeconds(30);
    private CookieHandler cookieHandler;
    private ProxySettings proxy = ProxySettings.none();

    private Builder() {}

    /**
     * How requests reach their servers (default {@link ProxySettings#none()}): the session's
     * {@link Option#PROXY}, which each request copies when it is created.
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /** The {@code User-Agent} sent with each request (WinHttpOpen's agent string). */
    public Builder userAgent(String userAgent) {
      this.userAgent = Option.USER_AGENT.validate(userAgent);
      return this;
    }

    /** The timeouts requests start with (default: {@link Timeouts#defaults()}). */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Trust material and client certificates for https, as a ready {@link SSLContext} (default:
     * the JDK's trust store and no client certificate). Its trust manager decides alone, with host
     * name verification on; {@link Option#SECURITY_FLAGS} cannot relax it, so a request that sets
     * ignore flags fails with SECURE_FAILURE. Prefer {@link #trustManager} and
     * {@link #keyManager}, with which every flag works.
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * The certificate authorities a server's chain must lead to (default: the JDK's trust
     * store). telltale checks the chain against them, then the dates, the host name and the
     * extended key usage, each separately, so {@link Option#SECURITY_FLAGS} can ignore exactly one
     * problem and report every problem in a {@code SECURE_FAILURE} notification.
     */
    public Builder trustManager(X509TrustManager trustManager) {
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
      return this;
    }

    /**
     * The client certificate to offer when a server asks for one (default: none; a server that
     * demands one then fails the request with CLIENT_AUTH_CERT_NEEDED).
     */
    public Builder keyManager(X509KeyManager keyManager) {
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
      return this;
    }

    /**
     * Runs status callbacks (and the completion of returned futures) on {@code executor} instead of
     * the I/O threads. The per-handle guarantees hold either way: never two callbacks of one handle
     * at once, always in order.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Resolves host names (default {@link NameResolver#SYSTEM}); called off the I/O threads. */
    public Builder resolver(NameResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** How many I/O threads (selectors) the session runs; default: the number of cores. */
    public Builder ioThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1: " + count);
      }
      this.ioThreads = count;
      return this;
    }

    /** How long an unused keep-alive connection stays in the pool (default 30 s). */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * Keeps cookies with {@code handler} (default: none; cookies are off, as in WinHTTP without
     * a cookie store). Before each request is sent (each redirect hop and authentication retry
     * too) the handler's {@code Cookie} values for the request URI are added, unless the
     * application set its own {@code Cookie} header; every final response, including redirects
     * and 401s, passes its header fields to {@link CookieHandler#put}. The JDK's
     * {@link java.net.CookieManager} works as is. The handler runs on the I/O threads and must not
     * block; an exception it throws is logged and the request goes on without that cookie step.
     */
    public Builder cookieHandler(CookieHandler handler) {
      this.cookieHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Opens the session.
     *
     * @throws IllegalArgumentException if both an SSLContext and a trust or key manager were given
     *     (the context already holds its own; say one or the other)
     */
    public Session build() {
      if (sslContext != null && (trustManager != null || keyManager != null)) {
        throw new IllegalArgumentException("give either sslContext(...) or trustManager(...)/"
            + "keyManager(...), not both: an SSLContext already holds its trust and key managers");
      }
      return new Session(this);
    }
  }
}
