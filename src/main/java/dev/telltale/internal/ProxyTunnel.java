package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Timeouts;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.proxy.ConnectRequest;
import dev.telltale.internal.proxy.ProxyHop;
import dev.telltale.internal.proxy.RefusedConnect;
import dev.telltale.internal.proxy.Socks5Handshake;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * Opens a tunnel to the origin through the proxy a new connection reached: an HTTP
 * {@code CONNECT} or a SOCKS5 handshake, on the connection's loop, between CONNECTED_TO_SERVER and
 * the TLS handshake, within the connect timeout. Tells its listener once: open, failed, (a 407
 * Basic challenge when credentials are configured but were not sent) "dial again and send them",
 * since proxies such as tinyproxy close the connection after a 407, or (any other 407) "refused
 * with a response", which the request receives as its own, as WinHTTP hands it to the application.
 */
final class ProxyTunnel implements Connection.User {
  /** The outcome, on the loop. */
  interface Listener {
    void tunnelOpen(Connection connection);

    void tunnelFailed(Connection connection, HttpException error);

    /** The proxy asked for Basic credentials that exist: open a new connection and send them. */
    void tunnelWantsCredentials(Connection connection);

    /**
     * The proxy answered with a 407 the tunnel cannot answer: the connection, with that response's
     * body still unread on it, carries the answer to the request (it is never a tunnel).
     */
    void tunnelRefused(Connection connection, RefusedConnect refusal);
  }

  private final Connection connection;
  private final Origin origin;
  private final ProxyHop hop;
  private final boolean sendCredentials;
  private final String userAgent;
  private final Duration timeout;
  private final Listener listener;
  private final TimerSlot deadline = new TimerSlot();
  private Socks5Handshake socks;
  private Http1ResponseParser parser;
  private ByteBuffer out;
  /** The size of the CONNECT request, for a 407 that becomes the request's response. */
  private long connectBytes;
  private boolean finished;

  ProxyTunnel(Connection connection, boolean sendCredentials, String userAgent, Duration timeout,
      Listener listener) {
    this.connection = connection;
    this.origin = connection.origin();
    this.hop = origin.proxy();
    this.sendCredentials = sendCredentials && hop.hasCredentials();
    this.userAgent = userAgent;
    this.timeout = timeout;
    this.listener = listener;
  }

  void start() {
    connection.setUser(this);
    if (!Timeouts.isInfinite(timeout)) {
      deadline.arm(connection.loop(), timeout.toNanos(), () -> fail(new HttpException(
          ErrorCode.TIMEOUT, "opening the tunnel to " + target() + " through " + hop
              + " took longer than " + timeout)));
    }
    if (hop.socks()) {
      try {
        socks = new Socks5Handshake(origin.host(), origin.port(), hop.user(), hop.password());
      } catch (IllegalArgumentException e) {
        fail(new HttpException(ErrorCode.INVALID_URL, "cannot open a SOCKS5 tunnel to "
            + target() + " through " + hop + ": " + e.getMessage(), e));
        return;
      }
      out = socks.start();
    } else {
      parser = new Http1ResponseParser(Http1ResponseParser.DEFAULT_MAX_HEADER_BYTES,
          Http1ResponseParser.DEFAULT_MAX_HEADER_COUNT);
      out = ConnectRequest.encode(origin.hostForUri(), origin.port(), userAgent,
          sendCredentials ? hop.basicAuthorization() : null);
      connectBytes = out.remaining();
    }
    step();
  }

  @Override
  public void onReady(Connection c, int readyOps) {
    step();
  }

  /** Writes what is due, then reads and interprets the proxy's answer until the tunnel is decided. */
  private void step() {
    try {
      while (!finished) {
        if (out != null) {
          if (connection.transport().tryWrite(new ByteBuffer[] {out}) == 0 && out.hasRemaining()) {
            connection.interest(SelectionKey.OP_WRITE);
            return;
          }
          if (out.hasRemaining()) {
            continue;
          }
          out = null;
        }
        if (connection.hasBuffered() && interpret()) {
          continue;
        }
        if (finished) {
          return;
        }
        int n = connection.fill();
        if (n < 0) {
          fail(new HttpException(ErrorCode.CONNECTION_ERROR, "the proxy " + hop
              + " closed the connection while opening the tunnel to " + target()));
          return;
        }
        if (n == 0) {
          connection.interest(SelectionKey.OP_READ);
          return;
        }
      }
    } catch (IOException e) {
      fail(new HttpException(ErrorCode.CONNECTION_ERROR, "the connection to the proxy " + hop
          + " failed while opening the tunnel to " + target() + ": " + e.getMessage(), e));
    }
  }

  /** Interprets the buffered bytes; true to go round again (something to send, or more to parse). */
  private boolean interpret() {
    ByteBuffer in = connection.in();
    if (socks != null) {
      try {
        Socks5Handshake.Step next = socks.onBytes(in);
        if (next.done()) {
          succeed();
          return false;
        }
        out = next.send();
        return out != null;
      } catch (Socks5Handshake.Refused refused) {
        fail(new HttpException(refused.authentication() ? ErrorCode.LOGIN_FAILURE : ErrorCode.CANNOT_CONNECT,
            refused.getMessage() + " (proxy " + hop + ")"));
        return false;
      }
    }
    ResponseHead head;
    try {
      head = parser.parseHead(in);
    } catch (ProtocolViolation e) {
      fail(new HttpException(ErrorCode.INVALID_SERVER_RESPONSE, "the proxy " + hop
          + " answered CONNECT with a malformed response: " + e.getMessage(), e));
      return false;
    }
    if (head == null) {
      return false;
    }
    if (head.isInterim()) {
      parser.reset();
      return true; // look at what follows it
    }
    switch (ConnectRequest.verdict(head, hop.hasCredentials(), sendCredentials)) {
      case OPEN -> succeed();
      case SEND_CREDENTIALS -> {
        finish();
        listener.tunnelWantsCredentials(connection);
      }
      case DELIVER -> {
        // the 407's body stays in the connection's buffer: the request reads it as its response's
        finish();
        listener.tunnelRefused(connection, new RefusedConnect(head, connectBytes));
      }
      case LOGIN_FAILURE -> fail(new HttpException(ErrorCode.LOGIN_FAILURE, "the proxy " + hop
          + " answered CONNECT " + target() + " with " + ConnectRequest.status(head)
          + ": it rejected the credentials"));
      case REFUSED -> fail(new HttpException(ErrorCode.CANNOT_CONNECT, "the proxy " + hop
          + " refused CONNECT " + target() + ": " + ConnectRequest.status(head)));
    }
    return false;
  }

  private String target() {
    return origin.hostForUri() + ":" + origin.port();
  }

  private void succeed() {
    if (connection.hasBuffered()) {
      // the origin speaks only after the client (TLS), so bytes here came from the proxy
      fail(new HttpException(ErrorCode.INVALID_SERVER_RESPONSE, "the proxy " + hop
          + " sent bytes after opening the tunnel to " + target()));
      return;
    }
    finish();
    connection.releaseBufferIfEmpty();
    listener.tunnelOpen(connection);
  }

  /** The request no longer wants the tunnel: stop now; the listener discards the connection. */
  void abandon() {
    fail(new HttpException(ErrorCode.OPERATION_CANCELLED, "the request no longer wants the tunnel to "
        + target() + " through " + hop));
  }

  private void fail(HttpException error) {
    if (finished) {
      return;
    }
    finish();
    listener.tunnelFailed(connection, error);
  }

  private void finish() {
    finished = true;
    deadline.cancel();
    connection.interest(0);
    connection.setUser(null);
  }
}
