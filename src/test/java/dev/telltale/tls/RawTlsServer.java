package dev.telltale.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A byte-exact TLS server for what MockWebServer cannot script: a plain {@link ServerSocket} on
 * 127.0.0.1 whose accepted sockets are wrapped in a server-mode {@link SSLSocket}, so a script
 * can write in chosen pieces (each write becomes its own TLS records) and can end the connection
 * either with close_notify ({@link Conn#closeTls()}) or with a bare TCP close that skips it
 * ({@link Conn#abortWithoutCloseNotify()}).
 */
final class RawTlsServer implements AutoCloseable {
  @FunctionalInterface
  interface Script {
    void run(Conn conn) throws Exception;
  }

  private final ServerSocket listener;
  private final SSLContext context;
  private final String[] protocols;
  private final Script script;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread acceptor;

  RawTlsServer(SSLContext context, Script script, String... protocols) throws IOException {
    this.context = context;
    this.script = script;
    this.protocols = protocols.clone();
    this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.acceptor = new Thread(this::acceptLoop, "raw-tls-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** TCP connections accepted so far (each one a handshake attempt). */
  int connections() {
    return accepted.get();
  }

  /** What scripts threw (a failed handshake included), in order. */
  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      sockets.add(socket);
      if (closed.getCount() == 0) {
        closeQuietly(socket);
        return;
      }
      Thread worker = new Thread(() -> serve(socket), "raw-tls-conn-" + socket.getPort());
      worker.setDaemon(true);
      threads.add(worker);
      worker.start();
    }
  }

  private void serve(Socket plain) {
    try {
      plain.setSoTimeout(20_000);
      plain.setTcpNoDelay(true);
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
      sockets.add(ssl);
      ssl.setUseClientMode(false);
      if (protocols.length > 0) {
        ssl.setEnabledProtocols(protocols);
      }
      script.run(new Conn(plain, ssl));
    } catch (Throwable t) {
      if (closed.getCount() != 0) {
        failures.add(t);
      }
    } finally {
      closeQuietly(plain);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed.countDown();
    closeQuietly(listener);
    for (AutoCloseable socket : sockets) {
      closeQuietly(socket);
    }
    acceptor.join(10_000);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  /** One accepted connection. */
  final class Conn {
    private final Socket plain;
    private final SSLSocket ssl;
    private final InputStream in;
    private final OutputStream out;

    Conn(Socket plain, SSLSocket ssl) throws IOException {
      this.plain = plain;
      this.ssl = ssl;
      this.in = ssl.getInputStream();
      this.out = ssl.getOutputStream();
    }

    SSLSocket ssl() {
      return ssl;
    }

    /** Reads a request head up to and including the blank line (does the handshake first). */
    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("EOF inside a request head: "
              + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code text} (ISO-8859-1) and flushes. */
    void write(String text) throws IOException {
      write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} and flushes. */
    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /**
     * Writes {@code bytes} in pieces whose sizes cycle through {@code sizes}, flushing after each:
     * every piece ends at least one TLS record, so records start and end at awkward offsets.
     */
    void writeInPieces(byte[] bytes, int... sizes) throws IOException {
      int offset = 0;
      int i = 0;
      while (offset < bytes.length) {
        int n = Math.min(sizes[i++ % sizes.length], bytes.length - offset);
        out.write(bytes, offset, n);
        out.flush();
        offset += n;
      }
    }

    /** Ends the connection properly: close_notify, then the TCP close. */
    void closeTls() throws IOException {
      ssl.close();
    }

    /** Ends the connection with a TCP close that skips close_notify (a truncation attack). */
    void abortWithoutCloseNotify() throws IOException {
      plain.close();
    }

    /** Waits (up to 20 s) for {@code latch}, failing the script if it does not open. */
    void await(CountDownLatch latch) throws InterruptedException {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not release the server script within 20 s");
      }
    }

    /** Waits until the server is closed (the test's end), neither reading nor writing. */
    void holdSilently() throws InterruptedException {
      closed.await();
    }
  }
}
