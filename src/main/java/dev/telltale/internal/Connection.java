package dev.telltale.internal;

import dev.telltale.internal.loop.EventLoop;
import dev.telltale.internal.loop.IoHandler;
import dev.telltale.internal.loop.Transport;
import dev.telltale.internal.proxy.RefusedConnect;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: its transport, its read buffer and whoever uses it now (an exchange,
 * a drainer, or the pool watching it idle). Touched only on its current loop; it moves to another
 * loop only through the pool, whose lock orders the hand-over.
 */
public final class Connection implements IoHandler {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final AtomicLong ids = new AtomicLong();
  /** For a read buffer taken off the loop (never in practice: connections read on their loop). */
  private static final int READ_BUFFER_SIZE = 16 * 1024;

  /** What a connection's current user is told when the socket is ready. */
  public interface User {
    void onReady(Connection connection, int readyOps);
  }

  private final long id = ids.incrementAndGet();
  private final Origin origin;
  private Transport transport;
  private final InetSocketAddress remote;
  private volatile InetSocketAddress local;
  private volatile EventLoop loop; // read by the pool, under its lock, from other loops
  private SelectionKey key;
  private ByteBuffer in;
  private User user;
  private int interest;
  private int exchanges;
  private boolean closed;
  // The pool's bookkeeping, read and written under the pool's lock only: whether the connection
  // waits in an idle list, since when, and the eviction deadline pending for it (on which loop).
  boolean pooledIdle;
  long idleSince;
  dev.telltale.internal.loop.Deadline idleEviction;
  EventLoop evictionLoop;
  /** False for a connection that must be closed after its exchange (see {@link #refuseTunnel}). */
  private boolean reusable = true;
  /** A refused CONNECT's answer the next exchange receives instead of sending; else null. */
  private RefusedConnect refusedConnect;

  Connection(Origin origin, Transport transport, InetSocketAddress remote) {
    this.origin = origin;
    this.transport = transport;
    this.remote = remote;
  }

  public long id() {
    return id;
  }

  public Origin origin() {
    return origin;
  }

  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /** What {@link dev.telltale.Request#connectionInfo()} reports for a request it served. */
  public dev.telltale.ConnectionInfo info(boolean reused) {
    String protocol = transport instanceof dev.telltale.internal.tls.TlsTransport tls
        ? tls.engine().getSession().getProtocol() : null;
    return new dev.telltale.ConnectionInfo(id, localAddress(), remote, reused, protocol);
  }

  /** This side's address, read once from the socket (it does not change), null if unknown. */
  public InetSocketAddress localAddress() {
    InetSocketAddress known = local;
    if (known == null && !closed) {
      try {
        known = (InetSocketAddress) transport.channel().getLocalAddress();
        local = known;
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return known;
  }

  public EventLoop loop() {
    return loop;
  }

  public Transport transport() {
    return transport;
  }

  /** Layers TLS over the connected socket, before any byte of HTTP. */
  void useTransport(Transport layered) {
    this.transport = layered;
  }

  /** How many exchanges this connection has carried; more than one means it was reused. */
  public int exchanges() {
    return exchanges;
  }

  void countExchange() {
    exchanges++;
  }

  /**
   * The proxy answered this connection's CONNECT with {@code refusal}: the exchange that gets the
   * connection sends nothing and receives that answer, and the connection is never pooled (it
   * reaches the proxy, not the tunnel its route promises).
   */
  void refuseTunnel(RefusedConnect refusal) {
    refusedConnect = refusal;
    reusable = false;
  }

  /** The refused CONNECT's answer waiting here, once; null if there is none. */
  RefusedConnect takeRefusedConnect() {
    RefusedConnect refusal = refusedConnect;
    refusedConnect = null;
    return refusal;
  }

  /** Whether the pool may keep this connection after a clean exchange. */
  boolean reusable() {
    return reusable;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Takes over the key its connector registered (null if it connected at once). */
  void adopt(EventLoop owner, SelectionKey connectKey) throws IOException {
    loop = owner;
    if (connectKey != null) {
      key = connectKey;
      key.attach(this);
      key.interestOps(0);
    } else {
      key = owner.register(transport.channel(), 0, this);
    }
    interest = 0;
  }

  /** Binds the connection to {@code target} (the caller's loop), moving its registration there. */
  void bindTo(EventLoop target, User newUser) throws IOException {
    assert target.inLoop();
    if (loop != target) {
      if (key != null) {
        key.cancel();
      }
      loop = target;
      key = target.register(transport.channel(), 0, this);
      interest = 0;
    }
    user = newUser;
  }

  /**
   * Lets go of this loop's registration, on this loop, before another loop takes the connection
   * over: from then on this loop cannot dispatch its readiness to the new owner.
   */
  void detach() {
    assert loop == null || loop.inLoop();
    if (key != null) {
      key.cancel();
      key = null;
    }
    user = null;
    interest = 0;
  }

  void setUser(User newUser) {
    user = newUser;
  }

  /** Sets the ready operations this connection waits for (OP_READ, OP_WRITE or both). */
  public void interest(int ops) {
    if (ops != interest && key != null && key.isValid()) {
      interest = ops;
      key.interestOps(ops);
    }
  }

  /**
   * The unread received bytes (position to limit); never null once {@link #fill()} ran. The
   * buffer comes from the loop's free list and goes back there when it is empty and the
   * connection idles or closes, so nothing may keep it past the current step.
   */
  public ByteBuffer in() {
    if (in == null) {
      EventLoop owner = loop;
      in = (owner != null && owner.inLoop() ? owner.takeReadBuffer()
          : ByteBuffer.allocate(READ_BUFFER_SIZE)).flip();
    }
    return in;
  }

  /** Whether received bytes are waiting to be parsed. */
  public boolean hasBuffered() {
    return in != null && in.hasRemaining();
  }

  /**
   * Reads what the socket has into the buffer after the unread bytes: bytes read, 0 if none now
   * (or the buffer is full), -1 at end of stream.
   */
  public int fill() throws IOException {
    ByteBuffer buffer = in();
    if (buffer.hasRemaining()) {
      buffer.compact();
    } else {
      buffer.clear();
    }
    try {
      return transport.tryRead(buffer);
    } finally {
      buffer.flip();
    }
  }

  /**
   * An idle connection became readable: true if it is still fine (TLS consumed a post-handshake
   * message, such as a session ticket), false if the server closed it or sent unasked bytes.
   */
  boolean probeIdle() {
    try {
      boolean fine = fill() == 0 && !hasBuffered();
      releaseBufferIfEmpty();
      return fine;
    } catch (IOException e) {
      return false;
    }
  }

  /** Drops the read buffer while idle, so idle connections hold no buffers. */
  void releaseBufferIfEmpty() {
    if (in != null && !in.hasRemaining()) {
      recycleBuffer();
    }
    transport.releaseIdleBuffers();
  }

  /** Gives the read buffer back to the loop's free list (if on the loop), or to the GC. */
  private void recycleBuffer() {
    ByteBuffer buffer = in;
    in = null;
    EventLoop owner = loop;
    if (owner != null && owner.inLoop()) {
      owner.recycleReadBuffer(buffer);
    }
  }

  @Override
  public void onReady(SelectionKey readyKey, int readyOps) {
    if (readyKey == key && user != null && !closed) {
      user.onReady(this, readyOps);
    }
  }

  /** Closes the socket without any notification; idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (key != null) {
      key.cancel();
    }
    if (in != null) {
      recycleBuffer();
    }
    transport.close();
    user = null;
    log.debug("connection {} to {} closed", id, origin);
  }

  @Override
  public String toString() {
    return "connection " + id + " to " + origin;
  }
}
