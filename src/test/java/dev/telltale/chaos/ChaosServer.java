package dev.telltale.chaos;

import java.io.BufferedInputStream;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A keep-alive HTTP/1.1 test server (plain or TLS) on 127.0.0.1 with one thread per connection,
 * whose every response is decided by the request's query, so the client knows in advance what each
 * request should get:
 *
 * <ul>
 *   <li>{@code id}: the request's number (seeds its body, see {@link #body});
 *   <li>{@code len}: the body length;
 *   <li>{@code mode}: a {@link Mode} (how to answer, or misbehave);
 *   <li>{@code delay}: milliseconds to wait before the head; {@code mdelay}: milliseconds to wait
 *       in the middle of the body (after half of it was flushed);
 *   <li>{@code hops}, {@code to}: for {@link Mode#REDIRECT}, redirects left and the port of the
 *       server the next hop goes to (the two servers alternate); {@code rbody}: the 302 has a body.
 * </ul>
 *
 * <p>Every response carries {@code X-Conn}, the server's number for the connection that served it.
 */
final class ChaosServer implements AutoCloseable {
  /** How to answer a request. */
  enum Mode {
    /** Content-Length body, keep-alive. */
    OK,
    /** Chunked body (chunks of random sizes), keep-alive. */
    CHUNKED,
    /** {@code Connection: close}, the body, then close. */
    CONN_CLOSE,
    /** The whole body, keep-alive headers, then the server closes anyway (silently). */
    SILENT_CLOSE,
    /** The head with a Content-Length, then close (FIN). */
    CLOSE_AFTER_HEAD,
    /** The head and half of the body, then a reset (SO_LINGER 0). */
    RESET_MID_BODY,
    /** The head and half of the body, then close (FIN): a short body. */
    SHORT_BODY,
    /** Chunked, cut before the last chunk (FIN). */
    CHUNK_CUT,
    /** Reads the request and closes without a response. */
    CLOSE_NO_RESPONSE,
    /** Reads the request and resets without a response. */
    RESET_NO_RESPONSE,
    /** A status line that is not HTTP. */
    GARBAGE,
    /** A 302 to the other server (see {@code hops}, {@code to}); the last hop answers OK. */
    REDIRECT
  }

  private final ServerSocket listener;
  private final boolean tls;
  private final ExecutorService threads;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean closed;

  private ChaosServer(ServerSocket listener, boolean tls) {
    this.listener = listener;
    this.tls = tls;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "chaos-server-" + listener.getLocalPort() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::acceptLoop);
  }

  static ChaosServer plain() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    return new ChaosServer(s, false);
  }

  static ChaosServer tls(SSLContext context) throws IOException {
    SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    return new ChaosServer(s, true);
  }

  int port() {
    return listener.getLocalPort();
  }

  boolean isTls() {
    return tls;
  }

  int connectionsAccepted() {
    return connections.get();
  }

  int requestsServed() {
    return requests.get();
  }

  /** Unexpected server-side failures (not the client going away). */
  List<Throwable> errors() {
    return errors;
  }

  /** The body of request {@code id} of length {@code len}: deterministic bytes. */
  static byte[] body(int id, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (i * 7 + id * 13 + (i >> 8));
    }
    return b;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = listener.accept();
        sockets.add(s);
        int conn = connections.incrementAndGet();
        threads.execute(() -> serve(s, conn));
      } catch (IOException e) {
        if (!closed) {
          errors.add(e);
        }
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(Socket s, int conn) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        String head = readHead(in);
        if (head == null) {
          return; // the client closed the connection
        }
        requests.incrementAndGet();
        String target = head.substring(head.indexOf(' ') + 1, head.lastIndexOf(' '));
        if (!respond(s, out, target, conn)) {
          return;
        }
      }
    } catch (SocketException | javax.net.ssl.SSLException e) {
      // the client reset or closed the connection (a closed request): nothing to report
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (!closed && !(e instanceof java.io.EOFException)) {
        errors.add(e);
      }
    } finally {
      sockets.remove(s);
    }
  }

  /** Answers one request; false if the connection must end. */
  private boolean respond(Socket s, OutputStream out, String target, int conn)
      throws IOException, InterruptedException {
    Map<String, String> q = query(target);
    int id = Integer.parseInt(q.getOrDefault("id", "0"));
    int len = Integer.parseInt(q.getOrDefault("len", "0"));
    Mode mode = Mode.valueOf(q.getOrDefault("mode", "OK"));
    int delay = Integer.parseInt(q.getOrDefault("delay", "0"));
    int midDelay = Integer.parseInt(q.getOrDefault("mdelay", "0"));
    if (delay > 0) {
      Thread.sleep(delay);
    }
    byte[] body = body(id, len);
    String common = "X-Conn: " + conn + "\r\nX-Id: " + id + "\r\n";
    switch (mode) {
      case OK, SILENT_CLOSE -> {
        writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Content-Length: " + len + "\r\n\r\n");
        writeBody(out, body, len, midDelay);
        return mode == Mode.OK;
      }
      case CONN_CLOSE -> {
        writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Connection: close\r\nContent-Length: "
            + len + "\r\n\r\n");
        writeBody(out, body, len, midDelay);
        return false;
      }
      case CHUNKED, CHUNK_CUT -> {
        writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Transfer-Encoding: chunked\r\n\r\n");
        out.flush();
        int at = 0;
        int step = 1 + id % 977;
        boolean paused = false;
        while (at < len) {
          int n = Math.min(step, len - at);
          writeAscii(out, Integer.toHexString(n) + "\r\n");
          out.write(body, at, n);
          writeAscii(out, "\r\n");
          at += n;
          if (!paused && at >= len / 2) {
            paused = true;
            out.flush();
            if (mode == Mode.CHUNK_CUT) {
              return false;
            }
            if (midDelay > 0) {
              Thread.sleep(midDelay);
            }
          }
        }
        if (mode == Mode.CHUNK_CUT) {
          out.flush();
          return false;
        }
        writeAscii(out, "0\r\n\r\n");
        out.flush();
        return true;
      }
      case CLOSE_AFTER_HEAD -> {
        writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Content-Length: " + Math.max(1, len)
            + "\r\n\r\n");
        out.flush();
        return false;
      }
      case RESET_MID_BODY, SHORT_BODY -> {
        int total = Math.max(2, len);
        writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Content-Length: " + total + "\r\n\r\n");
        out.write(body(id, total), 0, total / 2);
        out.flush();
        if (mode == Mode.RESET_MID_BODY) {
          reset(s);
        }
        return false;
      }
      case CLOSE_NO_RESPONSE -> {
        return false;
      }
      case RESET_NO_RESPONSE -> {
        reset(s);
        return false;
      }
      case GARBAGE -> {
        writeAscii(out, "HTTX/9 what is this\r\n\r\n");
        out.flush();
        return false;
      }
      case REDIRECT -> {
        int hops = Integer.parseInt(q.getOrDefault("hops", "0"));
        if (hops <= 0) {
          writeAscii(out, "HTTP/1.1 200 OK\r\n" + common + "Content-Length: " + len + "\r\n\r\n");
          writeBody(out, body, len, midDelay);
          return true;
        }
        int to = Integer.parseInt(q.get("to"));
        boolean rbody = "1".equals(q.get("rbody"));
        String next = "/r?id=" + id + "&len=" + len + "&mode=REDIRECT&hops=" + (hops - 1) + "&to="
            + port() + "&rbody=" + (rbody ? "0" : "1") + "&mdelay=" + midDelay;
        String location = (tls ? "https" : "http") + "://127.0.0.1:" + to + next;
        String moved = "moved " + hops;
        writeAscii(out, "HTTP/1.1 302 Found\r\n" + common + "Location: " + location
            + "\r\nContent-Length: " + (rbody ? moved.length() : 0) + "\r\n\r\n"
            + (rbody ? moved : ""));
        out.flush();
        return true;
      }
      default -> throw new IllegalStateException(mode.name());
    }
  }

  private static void writeBody(OutputStream out, byte[] body, int len, int midDelay)
      throws IOException, InterruptedException {
    int half = len / 2;
    out.write(body, 0, half);
    if (midDelay > 0) {
      out.flush();
      Thread.sleep(midDelay);
    }
    out.write(body, half, len - half);
    out.flush();
  }

  private static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  private static void writeAscii(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Map<String, String> query(String target) {
    Map<String, String> q = new HashMap<>();
    int mark = target.indexOf('?');
    if (mark < 0) {
      return q;
    }
    for (String pair : target.substring(mark + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return q;
  }

  /** The request head up to the blank line, or null at end of stream before any byte. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new java.io.EOFException("end of stream inside a request head");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("\r\n"));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }
}
