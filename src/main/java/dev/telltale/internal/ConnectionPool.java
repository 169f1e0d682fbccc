package dev.telltale.internal;

import dev.telltale.internal.loop.Deadline;
import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.util.Clock;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's keep-alive connections, keyed by origin and shared by all its connect handles
 * (SEMANTICS rule 19). It counts connections per origin for {@code MAX_CONNS_PER_SERVER}, queues
 * requests beyond the limit, hands a released connection straight to the first waiter, and evicts
 * idle connections after a deadline on their loop or as soon as the server closes them.
 */
public final class ConnectionPool {
  /** A request waiting for a connection to its origin. */
  public interface Waiter {
    /**
     * Called outside the pool's lock from any thread: {@code idle} is a connection to use, or
     * null when the waiter may now open a new one (it is already counted).
     */
    void grant(Connection idle);
  }

  /** What {@link #acquire} decided. */
  public sealed interface Lease permits Reuse, Create, Queued {}

  /** Use this idle connection. */
  public record Reuse(Connection connection) implements Lease {}

  /** Open a new connection (it is counted against the limit already). */
  public record Create() implements Lease {}

  /** Wait: the waiter's {@link Waiter#grant} will be called. */
  public record Queued() implements Lease {}

  private static final Create CREATE = new Create();
  private static final Queued QUEUED = new Queued();

  private static final class Route {
    final ArrayDeque<Connection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    int total;
  }

  private final Map<Origin, Route> routes = new HashMap<>();
  /**
   * Watches an idle connection: readable means the server closed it or sent bytes nobody asked
   * for. One instance for all connections, so an idle connection costs no object for it.
   */
  private final Connection.User idleWatcher = (c, readyOps) -> {
    if (isIdle(c) && !c.probeIdle()) {
      evict(c); // closed by the server, or bytes nobody asked for
    }
  };
  private final java.util.Set<Connection> live = new java.util.HashSet<>();
  private final long idleTimeoutNanos;
  private boolean closed;

  public ConnectionPool(long idleTimeoutNanos) {
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  /** Takes the most recently used idle connection, or permission to open one, or a queue place. */
  public Lease acquire(Origin origin, int maxConnections, Waiter waiter) {
    return acquire(origin, maxConnections, waiter, null);
  }

  /**
   * Like {@link #acquire(Origin, int, Waiter)}, preferring among the most recently used idle
   * connections one already registered with {@code loop}: moving a connection to another
   * selector costs a deregistration and a registration.
   */
  public synchronized Lease acquire(Origin origin, int maxConnections, Waiter waiter, EventLoop loop) {
    Route route = routes.computeIfAbsent(origin, o -> new Route());
    Connection idle = takeIdle(route, loop);
    if (idle != null) {
      idle.pooledIdle = false; // its eviction deadline, if pending, finds it busy and lets go
      return new Reuse(idle);
    }
    if (route.total < maxConnections) {
      route.total++;
      return CREATE;
    }
    route.waiters.addLast(waiter);
    return QUEUED;
  }

  private static final int SAME_LOOP_SCAN = 8;

  private static Connection takeIdle(Route route, EventLoop loop) {
    if (loop != null) {
      int scanned = 0;
      for (java.util.Iterator<Connection> it = route.idle.iterator();
          it.hasNext() && scanned < SAME_LOOP_SCAN; scanned++) {
        Connection candidate = it.next();
        if (candidate.loop() == loop) {
          it.remove();
          return candidate;
        }
      }
    }
    return route.idle.pollFirst();
  }

  /**
   * Counts a new connection that replaces one just closed and forgotten (a retry): it may exceed
   * the limit for a moment, as the dead one no longer exists.
   */
  public synchronized void reserve(Origin origin) {
    routes.computeIfAbsent(origin, o -> new Route()).total++;
  }

  /** Records a newly opened connection, so that the session's end can close it wherever it is. */
  public synchronized void track(Connection connection) {
    live.add(connection);
  }

  /** Removes a waiter that no longer wants a connection (its request was closed). */
  public synchronized void cancelWaiter(Origin origin, Waiter waiter) {
    Route route = routes.get(origin);
    if (route != null) {
      route.waiters.remove(waiter);
    }
  }

  /**
   * Returns a connection whose exchange completed cleanly. Called on the connection's loop. The
   * first waiter gets it at once; otherwise it waits idle, watched for the server closing it.
   */
  public void release(Connection connection) {
    if (!connection.reusable()) {
      discard(connection); // whoever hands it back, it is closed: nothing may take it over
      return;
    }
    // Set up idle watching while this loop still owns the connection: once it is in the idle list
    // another loop may take it at any moment.
    connection.releaseBufferIfEmpty();
    connection.setUser(idleWatcher);
    connection.interest(SelectionKey.OP_READ);
    Waiter next = null;
    boolean keep;
    synchronized (this) {
      Route route = routes.get(connection.origin());
      keep = !closed && route != null && live.contains(connection);
      if (keep) {
        next = route.waiters.pollFirst();
        if (next == null) {
          route.idle.addFirst(connection);
          connection.pooledIdle = true;
          connection.idleSince = Clock.nanoTime();
        }
      }
    }
    if (!keep) {
      discard(connection); // the session ended, or the pool does not know this connection
      return;
    }
    if (next != null) {
      next.grant(connection);
      return;
    }
    watchIdle(connection);
  }

  private synchronized boolean isIdle(Connection connection) {
    return connection.pooledIdle;
  }

  /**
   * Makes sure an eviction deadline is pending for an idle connection, on its loop. One deadline
   * serves many idle periods: a connection reused before it fires is simply found busy (or idle
   * for less than the timeout, and the deadline is moved on), so a busy connection costs no
   * deadline per request, only one per idle timeout.
   */
  private void watchIdle(Connection connection) {
    EventLoop loop = connection.loop();
    synchronized (this) {
      if (!connection.pooledIdle || connection.evictionLoop == loop) {
        return; // taken already, or the pending deadline on this loop will see to it
      }
    }
    scheduleEviction(connection, loop, idleTimeoutNanos);
  }

  private void scheduleEviction(Connection connection, EventLoop loop, long delayNanos) {
    Deadline deadline = loop.schedule(delayNanos, () -> evictionDue(connection, loop));
    synchronized (this) {
      connection.idleEviction = deadline;
      connection.evictionLoop = loop;
    }
  }

  /** An eviction deadline came: close the connection if it has idled the whole timeout. */
  private void evictionDue(Connection connection, EventLoop loop) {
    long rest;
    synchronized (this) {
      if (connection.evictionLoop != loop) {
        return; // the connection moved: a deadline on its new loop watches it
      }
      connection.idleEviction = null;
      connection.evictionLoop = null;
      if (!connection.pooledIdle) {
        return; // in use: its next release schedules a new deadline
      }
      rest = idleTimeoutNanos - (Clock.nanoTime() - connection.idleSince);
      if (rest <= 0) {
        route(connection).idle.remove(connection);
        connection.pooledIdle = false;
      }
    }
    if (rest > 0) {
      scheduleEviction(connection, loop, rest); // reused and idle again since: not due yet
    } else {
      discard(connection);
    }
  }

  private Route route(Connection connection) {
    return routes.computeIfAbsent(connection.origin(), o -> new Route());
  }

  /** Closes an idle connection the server closed or spoke on, if it is still idle. */
  private void evict(Connection connection) {
    synchronized (this) {
      if (!connection.pooledIdle) {
        return;
      }
      route(connection).idle.remove(connection);
      connection.pooledIdle = false;
    }
    discard(connection);
  }

  /** Closes a connection that will not be reused and stops counting it. Idempotent. */
  public void discard(Connection connection) {
    connection.close();
    forget(connection);
  }

  /**
   * Forgets a closed connection: it no longer counts against the limit, and the first waiter for
   * its origin may open a new one.
   */
  public void forget(Connection connection) {
    synchronized (this) {
      if (!live.remove(connection)) {
        return; // forgotten already
      }
    }
    forget(connection.origin());
  }

  /** Gives back a place counted by {@link Create} that produced no connection (it failed). */
  public void forget(Origin origin) {
    Waiter next = null;
    synchronized (this) {
      Route route = routes.get(origin);
      if (route == null) {
        return;
      }
      route.total--;
      if (!closed && !route.waiters.isEmpty()) {
        next = route.waiters.pollFirst();
        route.total++;
      }
      if (route.total == 0 && route.idle.isEmpty() && route.waiters.isEmpty()) {
        routes.remove(origin);
      }
    }
    if (next != null) {
      next.grant(null);
    }
  }

  /** Closes every idle connection (on its loop) and refuses new ones: the session has ended. */
  public void closeAll() {
    List<Connection> idle = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.addAll(live); // idle ones, and any still draining an abandoned body
      live.clear();
      for (Route route : routes.values()) {
        for (Connection connection : route.idle) {
          connection.pooledIdle = false;
        }
        route.idle.clear();
      }
    }
    for (Connection connection : idle) {
      connection.loop().submit(connection::close);
    }
  }

  /** Idle connections held now (for tests and diagnostics). */
  public synchronized int idleCount() {
    int count = 0;
    for (Route route : routes.values()) {
      count += route.idle.size();
    }
    return count;
  }
}
