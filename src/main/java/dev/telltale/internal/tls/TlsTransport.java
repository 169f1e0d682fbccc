package dev.telltale.internal.tls;

import dev.telltale.internal.loop.TcpTransport;
import dev.telltale.internal.loop.Transport;
import dev.telltale.SecurityInfo;
import java.io.IOException;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a TCP transport, non-blocking, through an {@link SSLEngine}: the same interface as plain
 * TCP, so HTTP code never knows which it has. Encrypted bytes wait in {@code netIn}/{@code netOut},
 * decrypted ones in {@code appIn}. Post-handshake messages (TLS 1.3 tickets, key updates) are
 * handled inside {@link #tryRead}. An end of stream without the peer's close_notify is an error,
 * never a clean end: a close-delimited body cut there would otherwise be silently short.
 */
public final class TlsTransport implements Transport {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** What the handshake needs next. */
  public enum Step { NEED_READ, NEED_WRITE, DONE }

  private final TcpTransport tcp;
  private final SocketChannel channel;
  private final SSLEngine engine;
  private ByteBuffer netIn; // fill mode: received ciphertext in [0, position)
  private ByteBuffer netOut; // read mode: ciphertext to send in [position, limit)
  private ByteBuffer appIn; // read mode: plaintext not yet delivered in [position, limit)
  private boolean closeNotifyReceived;
  private boolean closed;

  public TlsTransport(TcpTransport tcp, SSLEngine engine) {
    this.tcp = tcp;
    this.channel = tcp.channel();
    this.engine = engine;
    ensureBuffers();
  }

  /** Buffers are dropped while a connection idles in the pool and come back on first use. */
  private void ensureBuffers() {
    SSLSession session = engine.getSession();
    if (netIn == null) {
      netIn = TlsBuffers.packet(session.getPacketBufferSize());
    }
    if (netOut == null) {
      netOut = TlsBuffers.packet(session.getPacketBufferSize()).flip();
    }
    if (appIn == null) {
      appIn = TlsBuffers.plaintext(session.getApplicationBufferSize()).flip();
    }
  }

  /** Called on the connection's loop as it goes idle: empty buffers go back to the free lists. */
  @Override
  public void releaseIdleBuffers() {
    if (netIn != null && netIn.position() == 0) {
      TlsBuffers.givePacket(netIn);
      netIn = null;
    }
    if (netOut != null && !netOut.hasRemaining()) {
      TlsBuffers.givePacket(netOut);
      netOut = null;
    }
    if (appIn != null && !appIn.hasRemaining()) {
      TlsBuffers.givePlaintext(appIn);
      appIn = null;
    }
  }

  public SSLEngine engine() {
    return engine;
  }

  /** What the handshake negotiated (after it is done). */
  public SecurityInfo info() {
    SSLSession session = engine.getSession();
    List<Certificate> chain;
    try {
      chain = List.of(session.getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      chain = List.of();
    }
    return new SecurityInfo(session.getProtocol(), session.getCipherSuite(), chain);
  }

  /** Starts the handshake; then call {@link #handshake()} until it says DONE. */
  public void beginHandshake() throws SSLException {
    engine.beginHandshake();
  }

  /** Advances the handshake as far as the socket allows. */
  public Step handshake() throws IOException {
    ensureBuffers();
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP -> {
          if (!flush()) {
            return Step.NEED_WRITE;
          }
          wrap(EMPTY);
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (!flush()) {
            return Step.NEED_WRITE;
          }
          SSLEngineResult.Status status = unwrap();
          if (status == SSLEngineResult.Status.CLOSED) {
            throw new SSLHandshakeException("the server closed TLS during the handshake");
          }
          if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            int n = channel.read(netIn);
            if (n < 0) {
              throw new SSLHandshakeException("the server closed the connection during the TLS handshake");
            }
            if (n == 0) {
              return Step.NEED_READ;
            }
          }
        }
        case NEED_TASK -> runTasks();
        default -> {
          return flush() ? Step.DONE : Step.NEED_WRITE;
        }
      }
    }
  }

  @Override
  public int tryRead(ByteBuffer dst) throws IOException {
    ensureBuffers();
    while (true) {
      if (appIn.hasRemaining()) {
        return deliver(dst);
      }
      if (closeNotifyReceived) {
        return -1;
      }
      if (netIn.position() > 0) {
        SSLEngineResult.Status status = unwrap();
        afterUnwrap();
        if (status == SSLEngineResult.Status.CLOSED) {
          closeNotifyReceived = true;
          continue;
        }
        if (status == SSLEngineResult.Status.OK) {
          continue; // produced plaintext, or consumed a post-handshake message: look again
        }
      }
      int n = channel.read(netIn);
      if (n < 0) {
        throw new TlsTruncation();
      }
      if (n == 0) {
        return 0;
      }
    }
  }

  /** Post-handshake work an unwrap can ask for: tasks, or a reply (key update). */
  private void afterUnwrap() throws IOException {
    SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
    if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
      runTasks();
      status = engine.getHandshakeStatus();
    }
    if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP && !closeNotifyReceived) {
      if (flush()) {
        wrap(EMPTY);
        flush();
      }
    }
  }

  private int deliver(ByteBuffer dst) {
    int n = Math.min(appIn.remaining(), dst.remaining());
    ByteBuffer slice = appIn.slice();
    slice.limit(n);
    dst.put(slice);
    appIn.position(appIn.position() + n);
    return n;
  }

  @Override
  public long tryWrite(ByteBuffer[] srcs) throws IOException {
    ensureBuffers();
    if (!flush()) {
      return 0;
    }
    long taken = 0;
    while (hasRemaining(srcs)) {
      taken += wrap(srcs);
      if (!flush()) {
        break;
      }
    }
    return taken;
  }

  @Override
  public boolean flush() throws IOException {
    while (netOut != null && netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Encrypts into the (empty) netOut; returns plaintext bytes taken. */
  private long wrap(ByteBuffer... srcs) throws IOException {
    netOut.clear();
    try {
      while (true) {
        SSLEngineResult result = engine.wrap(srcs, netOut);
        switch (result.getStatus()) {
          case OK:
            return result.bytesConsumed();
          case BUFFER_OVERFLOW:
            netOut = ByteBuffer.allocate(netOut.capacity() * 2);
            continue;
          case CLOSED:
            if (result.bytesProduced() > 0) {
              return result.bytesConsumed(); // our close_notify
            }
            throw new SSLException("the TLS connection is closed");
          default:
            throw new SSLException("unexpected TLS wrap status " + result.getStatus());
        }
      }
    } finally {
      netOut.flip();
    }
  }

  /** Decrypts from netIn into appIn; returns the engine's status (underflow: read more). */
  private SSLEngineResult.Status unwrap() throws SSLException {
    while (true) {
      netIn.flip();
      appIn.compact();
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        netIn.compact();
        appIn.flip();
      }
      switch (result.getStatus()) {
        case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
        case BUFFER_UNDERFLOW -> {
          if (netIn.position() == netIn.capacity()) {
            netIn = growFill(netIn, engine.getSession().getPacketBufferSize());
          }
          return result.getStatus();
        }
        default -> {
          return result.getStatus();
        }
      }
    }
  }

  private static ByteBuffer grow(ByteBuffer readMode, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, readMode.capacity() * 2));
    bigger.put(readMode).flip();
    return bigger;
  }

  private static ByteBuffer growFill(ByteBuffer fillMode, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, fillMode.capacity() * 2));
    fillMode.flip();
    bigger.put(fillMode);
    return bigger;
  }

  private void runTasks() {
    // Certificate checks run here; they are short next to the round trips they follow.
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private static boolean hasRemaining(ByteBuffer[] buffers) {
    for (ByteBuffer buffer : buffers) {
      if (buffer.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public SocketChannel channel() {
    return channel;
  }

  /** Sends close_notify if the socket takes it at once, then closes the socket. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.closeOutbound();
      ensureBuffers();
      if (flush()) {
        wrap(EMPTY);
        flush();
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: the socket closes either way
    }
    tcp.close();
  }
}
