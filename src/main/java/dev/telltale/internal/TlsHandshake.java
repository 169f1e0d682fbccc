package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Timeouts;
import dev.telltale.internal.loop.TimerSlot;
import dev.telltale.internal.tls.TlsTransport;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * Drives a new connection's TLS handshake on its loop, between CONNECTED_TO_SERVER and
 * SENDING_REQUEST, within the connect timeout. Tells its listener once: done, or failed with the
 * exception (the caller says why, in WinHTTP's terms).
 */
final class TlsHandshake implements Connection.User {
  /** The outcome, on the loop. */
  interface Listener {
    void handshakeDone(Connection connection);

    void handshakeFailed(Connection connection, Exception failure);
  }

  private final Connection connection;
  private final TlsTransport tls;
  private final Duration timeout;
  private final Listener listener;
  private final TimerSlot deadline = new TimerSlot();
  private boolean finished;

  TlsHandshake(Connection connection, TlsTransport tls, Duration timeout, Listener listener) {
    this.connection = connection;
    this.tls = tls;
    this.timeout = timeout;
    this.listener = listener;
  }

  void start() {
    connection.setUser(this);
    if (!Timeouts.isInfinite(timeout)) {
      deadline.arm(connection.loop(), timeout.toNanos(), () -> finish(new HttpException(
          ErrorCode.TIMEOUT, "the TLS handshake with " + connection.origin() + " took longer than " + timeout)));
    }
    try {
      tls.beginHandshake();
    } catch (IOException e) {
      finish(e);
      return;
    }
    step();
  }

  /**
   * The request no longer wants this connection: ends the handshake now, so a server that never
   * answers the ClientHello does not hold the socket until the connect timeout.
   */
  void abandon() {
    finish(new HttpException(ErrorCode.OPERATION_CANCELLED,
        "the request no longer wants the TLS connection to " + connection.origin()));
  }

  @Override
  public void onReady(Connection c, int readyOps) {
    step();
  }

  private void step() {
    if (finished) {
      return;
    }
    try {
      switch (tls.handshake()) {
        case NEED_READ -> connection.interest(SelectionKey.OP_READ);
        case NEED_WRITE -> connection.interest(SelectionKey.OP_WRITE);
        case DONE -> finish(null);
      }
    } catch (IOException | RuntimeException e) {
      finish(e);
    }
  }

  private void finish(Exception failure) {
    if (finished) {
      return;
    }
    finished = true;
    deadline.cancel();
    connection.interest(0);
    connection.setUser(null);
    if (failure == null) {
      listener.handshakeDone(connection);
    } else {
      listener.handshakeFailed(connection, failure);
    }
  }
}
