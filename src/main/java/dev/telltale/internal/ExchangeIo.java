package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.Timeouts;
import dev.telltale.internal.loop.TimerSlot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * The exchange's waiting for the socket: a gathering write that continues when the socket takes
 * more, a read interest, and the send or receive deadline that bounds each wait (rule 22).
 */
final class ExchangeIo implements Runnable {
  private final Exchange exchange;
  /** What the armed deadline bounds, for its timeout error. */
  private String waitingFor;
  private Duration waitTimeout;
  private ByteBuffer[] pending;
  private Runnable afterWrite;
  private final TimerSlot deadline = new TimerSlot();

  ExchangeIo(Exchange exchange) {
    this.exchange = exchange;
  }

  /** Writes all of {@code buffers}, then runs {@code then}; failures go to the exchange. */
  void write(Connection conn, ByteBuffer[] buffers, Runnable then) {
    cancelDeadline();
    pending = buffers;
    afterWrite = then;
    continueWrite(conn);
  }

  private void continueWrite(Connection conn) {
    try {
      while (hasRemaining(pending)) {
        long n = conn.transport().tryWrite(pending);
        if (n == 0) {
          waitWritable(conn);
          return;
        }
      }
      if (!conn.transport().flush()) {
        waitWritable(conn); // TLS took the bytes but the socket has not taken all their records
        return;
      }
    } catch (IOException e) {
      pending = null;
      afterWrite = null;
      exchange.onConnectionFailure(e);
      return;
    }
    cancelDeadline();
    conn.interest(0);
    pending = null;
    Runnable then = afterWrite;
    afterWrite = null;
    then.run();
  }

  private void waitWritable(Connection conn) {
    conn.interest(SelectionKey.OP_WRITE);
    arm(conn, Option.SEND_TIMEOUT, "sending the request");
  }

  private static boolean hasRemaining(ByteBuffer[] buffers) {
    for (ByteBuffer buffer : buffers) {
      if (buffer.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  /** Waits for the socket to become readable, within {@code timeout}. */
  void awaitReadable(Connection conn, Duration timeout, String what) {
    conn.interest(SelectionKey.OP_READ);
    cancelDeadline();
    armFor(conn, timeout, what);
  }

  private void arm(Connection conn, Option<Duration> option, String what) {
    cancelDeadline();
    armFor(conn, exchange.timeout(option), what);
  }

  private void armFor(Connection conn, Duration timeout, String what) {
    if (!Timeouts.isInfinite(timeout)) {
      waitingFor = what;
      waitTimeout = timeout;
      deadline.arm(conn.loop(), timeout.toNanos(), this); // this is the action: no lambda per wait
    }
  }

  /** The armed send or receive deadline is due (run by the timer slot). */
  @Override
  public void run() {
    exchange.onIoTimeout(waitingFor, waitTimeout);
  }

  void onReady(Connection conn, int readyOps) {
    if (pending != null && (readyOps & SelectionKey.OP_WRITE) != 0) {
      continueWrite(conn);
      return;
    }
    if ((readyOps & SelectionKey.OP_READ) != 0) {
      cancelDeadline();
      exchange.onReadable();
    }
  }

  void cancelDeadline() {
    deadline.cancel();
  }

  static HttpException timeoutError(String what, Duration limit) {
    return new HttpException(ErrorCode.TIMEOUT, what + " took longer than " + limit);
  }
}
