package dev.telltale.tool;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The demo's local server: the JDK's {@code HttpServer} on 127.0.0.1 and a free port, with three
 * endpoints.
 *
 * <ul>
 *   <li>{@code /hello}: a small text body with a Content-Length.
 *   <li>{@code /chunked}: a body streamed in a few chunks ({@code Transfer-Encoding: chunked}).
 *   <li>{@code /redirect}: {@code 302 Found} to {@code /hello}, setting the cookie {@value
 *       #COOKIE} (with {@code -b}, the {@code /hello} it leads to and the chunked request after it
 *       carry it).
 * </ul>
 */
final class EmbeddedServer implements AutoCloseable {
  static final String HELLO = "hello from telltale's embedded server\n";
  static final String COOKIE = "demo=telltale";

  private final HttpServer server;

  private EmbeddedServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on the loopback address and a free port. */
  static EmbeddedServer start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    // The JDK's server leaves Nagle's algorithm on: its header and body writes would then wait
    // for the client's delayed ACK (~40 ms a response), which the demo would show as download time.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server = HttpServer.create(address, 0);
    server.createContext("/hello", EmbeddedServer::hello);
    server.createContext("/chunked", EmbeddedServer::chunked);
    server.createContext("/redirect", EmbeddedServer::redirect);
    server.start();
    return new EmbeddedServer(server);
  }

  /** The host to connect to: the loopback address as a literal. */
  String host() {
    return server.getAddress().getAddress().getHostAddress();
  }

  /** The port the server listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server at once, closing its connections. */
  @Override
  public void close() {
    server.stop(0);
  }

  private static void hello(HttpExchange exchange) throws IOException {
    byte[] body = HELLO.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void chunked(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, 0); // 0: length unknown, sent chunked
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 1; i <= 3; i++) {
        out.write(("chunk " + i + " of 3\n").getBytes(StandardCharsets.UTF_8));
        out.flush(); // each flush sends one chunk
      }
    }
  }

  private static void redirect(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Location", "/hello");
    exchange.getResponseHeaders().set("Set-Cookie", COOKIE + "; Path=/");
    exchange.sendResponseHeaders(302, -1); // -1: no body
    exchange.close();
  }
}
