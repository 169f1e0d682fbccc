package dev.telltale.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A loopback keep-alive HTTP/1.1 server for the in-process benchmarks: one thread, answers every
 * request (a head ending in an empty line; no request bodies) with the same 100-byte response,
 * nginx-like headers included. After accepting, it allocates nothing per request, so allocation
 * measured in the JVM is the client's.
 */
public final class BenchServer implements AutoCloseable {
  /** The response: the head nginx sends for a 100-byte static file, and the body. */
  static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Tue, 24 Nov 2026 06:00:00 GMT\r\n"
      + "Content-Type: application/octet-stream\r\n"
      + "Content-Length: 100\r\n"
      + "Last-Modified: Tue, 24 Nov 2026 05:59:00 GMT\r\n"
      + "Connection: keep-alive\r\n"
      + "ETag: \"6742c0c4-64\"\r\n"
      + "Accept-Ranges: bytes\r\n"
      + "\r\n"
      + "x".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread thread;
  private volatile boolean stopping;

  public BenchServer() {
    try {
      selector = Selector.open();
      server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 4096);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::run, "bench-server");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  public Thread thread() {
    return thread;
  }

  /** Per connection: the read buffer, how far "\r\n\r\n" has matched, and unsent response bytes. */
  private static final class Conn {
    final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    ByteBuffer out = ByteBuffer.allocate(RESPONSE.length * 64).flip();
    int matched;
  }

  private void run() {
    try {
      while (!stopping) {
        selector.select();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            SocketChannel ch;
            while ((ch = server.accept()) != null) {
              ch.configureBlocking(false);
              ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
              ch.register(selector, SelectionKey.OP_READ, new Conn());
            }
          } else {
            serve(key);
          }
        }
      }
    } catch (IOException e) {
      if (!stopping) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void serve(SelectionKey key) {
    SocketChannel ch = (SocketChannel) key.channel();
    Conn c = (Conn) key.attachment();
    try {
      if (key.isReadable()) {
        c.in.clear();
        int n = ch.read(c.in);
        if (n < 0) {
          key.cancel();
          ch.close();
          return;
        }
        int requests = 0;
        for (int i = 0; i < n; i++) {
          byte b = c.in.get(i);
          // matches CR LF CR LF across reads
          c.matched = (b == '\r') ? (c.matched == 2 ? 3 : 1)
              : (b == '\n' && (c.matched == 1 || c.matched == 3)) ? c.matched + 1 : 0;
          if (c.matched == 4) {
            requests++;
            c.matched = 0;
          }
        }
        if (requests > 0) {
          c.out.compact();
          for (int i = 0; i < requests && c.out.remaining() >= RESPONSE.length; i++) {
            c.out.put(RESPONSE);
          }
          c.out.flip();
        }
      }
      if (c.out.hasRemaining()) {
        ch.write(c.out);
      }
      key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
    } catch (IOException e) {
      key.cancel();
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a failed connection
      }
    }
  }

  @Override
  public void close() throws IOException {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }
}
