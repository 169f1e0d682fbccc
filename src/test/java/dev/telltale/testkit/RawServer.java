package dev.telltale.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte-exact, scriptable HTTP server for misbehaving-server tests: a {@link ServerSocket} on
 * 127.0.0.1 (port 0) that runs {@link Script} on a daemon thread for every connection it accepts.
 * A script typically reads the request head ({@link Conn#readHead()}), writes raw bytes, then
 * closes, resets or stays silent until the test ends ({@link Conn#holdSilently()}).
 * {@link #close()} closes the listening socket and every accepted connection, which also
 * releases scripts that are holding.
 *
 * <pre>{@code
 * try (RawServer server = RawServer.start(c -> {
 *   c.readHead();
 *   c.write("hello world\r\n\r\n");
 *   c.holdSilently();
 * })) { ... server.port() ... }
 * }</pre>
 */
public final class RawServer implements AutoCloseable {
  /** What the server does with one accepted connection. Exceptions are recorded, not thrown. */
  @FunctionalInterface
  public interface Script {
    void run(Conn conn) throws Exception;
  }

  private final ServerSocket listener;
  private final Script script;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Throwable> scriptErrors = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  private RawServer(Script script) throws IOException {
    this.script = script;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    this.acceptor = new Thread(this::acceptLoop, "raw-server-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server running {@code script} for each connection. */
  public static RawServer start(Script script) throws IOException {
    return new RawServer(script);
  }

  /** A server that reads each request head, writes {@code response} (ISO-8859-1) and closes. */
  public static RawServer respondAndClose(String response) throws IOException {
    return start(c -> {
      c.readHead();
      c.write(response);
    });
  }

  /** A server that reads each request head, writes {@code response}, then stays silent. */
  public static RawServer respondAndHold(String response) throws IOException {
    return start(c -> {
      c.readHead();
      c.write(response);
      c.holdSilently();
    });
  }

  /** A server that accepts, reads the request head and never answers. */
  public static RawServer silent() throws IOException {
    return start(c -> {
      c.readHead();
      c.holdSilently();
    });
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections were accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** The request heads read so far (through {@link Conn#readHead()}), in order. */
  public List<String> heads() {
    return List.copyOf(heads);
  }

  /** Exceptions thrown by scripts (other than the socket being closed under them). */
  public List<Throwable> scriptErrors() {
    return List.copyOf(scriptErrors);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      sockets.add(socket);
      if (closed.getCount() == 0) {
        closeQuietly(socket);
        return;
      }
      Thread worker = new Thread(() -> serve(socket), "raw-server-conn-" + socket.getPort());
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void serve(Socket socket) {
    try {
      script.run(new Conn(socket));
    } catch (SocketException e) {
      // the client or close() closed the socket under the script: expected in these tests
    } catch (IOException e) {
      if (closed.getCount() != 0) {
        scriptErrors.add(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      scriptErrors.add(t);
    } finally {
      closeQuietly(socket);
    }
  }

  /** Closes the listening socket and every accepted connection; releases holding scripts. */
  @Override
  public void close() {
    closed.countDown();
    closeQuietly(listener);
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing to do
    }
  }

  /** One accepted connection, as seen by a script. */
  public final class Conn {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    public Socket socket() {
      return socket;
    }

    /**
     * Reads the request head up to and including the blank line (CRLFCRLF) and returns it
     * (ISO-8859-1); the body, if any, is left unread. Returns what was read if the client closes.
     */
    public String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int state = 0; // how many bytes of CR LF CR LF matched
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
        if (b == '\r') {
          state = state == 2 ? 3 : 1;
        } else if (b == '\n') {
          state = state == 1 ? 2 : state == 3 ? 4 : 0;
        } else {
          state = 0;
        }
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      heads.add(text);
      return text;
    }

    /** Reads exactly {@code n} bytes (of a request body). */
    public byte[] readBytes(int n) throws IOException {
      return in.readNBytes(n);
    }

    /** Writes {@code text} as ISO-8859-1 bytes and flushes. */
    public void write(String text) throws IOException {
      write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} and flushes. */
    public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Half-closes: the client sees end of stream, the server can still read. */
    public void shutdownOutput() throws IOException {
      socket.shutdownOutput();
    }

    /** Closes with a TCP reset (SO_LINGER 0) instead of an orderly FIN. */
    public void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    /** Closes the connection (orderly). */
    public void close() throws IOException {
      socket.close();
    }

    /**
     * Neither reads nor writes any more until the server is closed (the test's end). Since it
     * does not read, a client that keeps sending eventually fills the socket buffers.
     */
    public void holdSilently() throws InterruptedException {
      closed.await();
    }

    /**
     * Reads and discards whatever the client sends until the client closes the connection or the
     * server is closed; never writes.
     */
    public void drainUntilClientCloses() throws IOException {
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // discard
      }
    }

    /** Waits up to {@code seconds} for the server to be closed. */
    public boolean awaitServerClose(long seconds) throws InterruptedException {
      return closed.await(seconds, TimeUnit.SECONDS);
    }
  }

  /** Convenience: the lines of {@code head} without the trailing blank line. */
  public static List<String> lines(String head) {
    List<String> result = new ArrayList<>();
    for (String line : head.split("\r\n")) {
      if (!line.isEmpty()) {
        result.add(line);
      }
    }
    return result;
  }
}
