package dev.telltale.internal.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain TCP: the socket channel itself. Counts open sockets so tests can prove none leak. */
public final class TcpTransport implements Transport {
  private static final AtomicInteger openSockets = new AtomicInteger();

  private final SocketChannel channel;
  private boolean closed;

  /** Wraps a connected (or connecting) non-blocking channel, counting it as open. */
  public TcpTransport(SocketChannel channel) {
    this.channel = channel;
    openSockets.incrementAndGet();
  }

  /** Sockets opened by the library and not yet closed, process-wide (for leak checks). */
  public static int openSockets() {
    return openSockets.get();
  }

  @Override
  public int tryRead(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public long tryWrite(ByteBuffer[] srcs) throws IOException {
    return srcs.length == 1 ? channel.write(srcs[0]) : channel.write(srcs);
  }

  @Override
  public SocketChannel channel() {
    return channel;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    openSockets.decrementAndGet();
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing useful to do: the socket is gone either way
    }
  }
}
