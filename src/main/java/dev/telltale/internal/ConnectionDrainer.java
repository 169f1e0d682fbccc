package dev.telltale.internal;

import dev.telltale.Timeouts;
import dev.telltale.internal.http1.BodyDecoder;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.loop.Deadline;
import dev.telltale.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * Reads and discards the rest of a body whose request was closed early, so the connection can be
 * reused (rule 16). Gives up, closing the connection, once more than {@code limit} bytes would be
 * needed, on any error, or when the server stalls past the receive timeout.
 */
final class ConnectionDrainer implements Connection.User {
  private final Connection connection;
  private final BodyDecoder decoder;
  private final ConnectionPool pool;
  private final long limit;
  private final Duration timeout;
  private long drained;
  private Deadline deadline;
  private boolean done;

  ConnectionDrainer(Connection connection, BodyDecoder decoder, ConnectionPool pool, Long limit,
      Duration timeout) {
    this.connection = connection;
    this.decoder = decoder;
    this.pool = pool;
    this.limit = limit;
    this.timeout = timeout;
  }

  void start(EventLoop loop) {
    long known = decoder.remaining();
    if (known > limit) {
      giveUp();
      return;
    }
    connection.setUser(this);
    if (!Timeouts.isInfinite(timeout)) {
      deadline = loop.schedule(timeout.toNanos(), this::giveUp);
    }
    drain();
  }

  @Override
  public void onReady(Connection c, int readyOps) {
    drain();
  }

  private void drain() {
    try {
      while (true) {
        drained += BodyPump.skipBuffered(decoder, connection.in());
        if (decoder.isComplete()) {
          finish();
          return;
        }
        if (drained > limit) {
          giveUp();
          return;
        }
        int read = connection.fill();
        if (read < 0) {
          giveUp();
          return;
        }
        if (read == 0) {
          connection.interest(SelectionKey.OP_READ);
          return;
        }
      }
    } catch (ProtocolViolation | IOException e) {
      giveUp();
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    cancelDeadline();
    if (connection.hasBuffered()) {
      pool.discard(connection);
      return;
    }
    pool.release(connection);
  }

  private void giveUp() {
    if (done) {
      return;
    }
    done = true;
    cancelDeadline();
    pool.discard(connection);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
