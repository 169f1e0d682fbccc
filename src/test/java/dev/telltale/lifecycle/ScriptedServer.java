package dev.telltale.lifecycle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server for the exchanges MockWebServer cannot script: interim responses,
 * HTTP/1.0 answers, sockets closed at chosen moments, responses written in one piece.
 *
 * <p>Accepted connection {@code i} runs {@code scripts[i]} on its own daemon thread; connections
 * beyond the scripts given are closed at once (so an unexpected new connection shows up as a
 * failed request, not as a hang). Every request a script reads is recorded with the index of the
 * connection it came on. Closing the server closes the listening socket and every accepted one.
 */
final class ScriptedServer implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 20_000;

  /** What to do on one accepted connection. */
  @FunctionalInterface
  interface Script {
    void run(Peer peer) throws Exception;
  }

  /** A request as the server read it. */
  record Received(int connection, String head, byte[] body) {
    /** The request line, e.g. {@code GET /x HTTP/1.1}. */
    String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  private final ServerSocket listener;
  private final Script[] scripts;
  private final Thread acceptor;
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
  private final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object doneLock = new Object();
  private int scriptsDone;
  private volatile boolean closed;

  ScriptedServer(Script... scripts) throws IOException {
    this.scripts = scripts.clone();
    this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.acceptor = new Thread(this::acceptLoop, "scripted-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** How many connections were accepted so far. */
  int connectionCount() {
    return accepted.get();
  }

  /** The next request read by any script (waits up to 20 s). */
  Received takeRequest() throws InterruptedException {
    Received next = requests.poll(20, TimeUnit.SECONDS);
    if (next == null) {
      fail("the scripted server received no request within 20 s");
    }
    return next;
  }

  /** Requests recorded but not taken yet. */
  int pendingRequests() {
    return requests.size();
  }

  /** Waits (up to 20 s) until {@code count} scripts have returned. */
  void awaitScriptsDone(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (doneLock) {
      while (scriptsDone < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("only " + scriptsDone + " of " + count + " server scripts finished within 20 s");
        }
        TimeUnit.NANOSECONDS.timedWait(doneLock, left);
      }
    }
  }

  /** Exceptions thrown by scripts (a script that fails its expectations throws). */
  List<Throwable> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      int index = accepted.getAndIncrement();
      sockets.add(socket);
      if (closed) {
        closeQuietly(socket);
        return;
      }
      Thread thread = new Thread(() -> runScript(index, socket), "scripted-server-conn-" + index);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void runScript(int index, Socket socket) {
    try {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      if (index < scripts.length) {
        scripts[index].run(new Peer(index, socket));
      }
    } catch (Throwable t) {
      if (!closed) {
        failures.add(t);
      }
    } finally {
      closeQuietly(socket);
      synchronized (doneLock) {
        scriptsDone++;
        doneLock.notifyAll();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    synchronized (sockets) {
      sockets.forEach(ScriptedServer::closeQuietly);
    }
    acceptor.join(10_000);
    List<Thread> all;
    synchronized (threads) {
      all = List.copyOf(threads);
    }
    for (Thread thread : all) {
      thread.join(10_000);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** One accepted connection, as seen by its script. */
  final class Peer {
    private final int index;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Peer(int index, Socket socket) throws IOException {
      this.index = index;
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    int index() {
      return index;
    }

    /** Reads a request head up to and including the blank line; null at EOF before any byte. */
    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (head.size() == 0) {
            return null;
          }
          throw new IOException("EOF inside a request head: " + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads the body the head announces (Content-Length or chunked); empty if none. */
    byte[] readBodyFor(String head) throws IOException {
      Received probe = new Received(index, head, new byte[0]);
      String length = probe.header("Content-Length");
      String coding = probe.header("Transfer-Encoding");
      if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
        return readChunked();
      }
      if (length != null) {
        return readBytes(Integer.parseInt(length));
      }
      return new byte[0];
    }

    /** Records a request read piecewise (head, then body) so {@link #takeRequest} sees it. */
    Received record(String head, byte[] body) {
      Received received = new Received(index, head, body);
      requests.add(received);
      return received;
    }

    /** Reads and records a whole request; null (nothing recorded) at EOF before any byte. */
    Received readRequest() throws IOException {
      String head = readHead();
      if (head == null) {
        return null;
      }
      return record(head, readBodyFor(head));
    }

    byte[] readBytes(int count) throws IOException {
      byte[] bytes = in.readNBytes(count);
      if (bytes.length != count) {
        throw new IOException("EOF after " + bytes.length + " of " + count + " body bytes");
      }
      return bytes;
    }

    private byte[] readChunked() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailer fields
          }
          return body.toByteArray();
        }
        body.write(readBytes(size));
        if (!readLine().isEmpty()) {
          throw new IOException("chunk data not followed by CRLF");
        }
      }
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("EOF inside a line");
        }
        if (b == '\n') {
          int n = line.length();
          return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
        }
        line.append((char) b);
      }
    }

    /** Writes {@code text} (ISO-8859-1) in one write call and flushes. */
    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /**
     * Reads until the client closes the connection; returns how many bytes came before that. A
     * reset counts as the end too.
     */
    int readToEof() throws IOException {
      int count = 0;
      try {
        while (in.read() >= 0) {
          count++;
        }
      } catch (SocketException e) {
        // reset by the client: the end as well
      }
      return count;
    }

    /** Closes this connection. */
    void close() throws IOException {
      socket.close();
    }
  }
}
