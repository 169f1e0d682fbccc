package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;

import dev.telltale.Connect;
import dev.telltale.Handle;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;

/**
 * One session (resolving every name to 127.0.0.1, so "localhost" never means ::1) with a
 * {@link RecordingCallback} installed before any child exists, the handles opened through it and
 * the servers the test started, so a test that fails half-way still closes everything.
 */
final class TlsFixture implements AutoCloseable {
  final RecordingCallback rec = new RecordingCallback();
  final Session session;
  private final List<Handle> opened = new ArrayList<>();
  private final List<AutoCloseable> servers = new ArrayList<>();
  private final Map<MockWebServer, Certificates.CountingServerSocketFactory> counters =
      new IdentityHashMap<>();

  /** A session trusting {@link Certificates#ROOT} only. */
  TlsFixture() {
    this(builder(Certificates.clientTrust()));
  }

  TlsFixture(Session.Builder builder) {
    session = builder.build();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
  }

  /** A session builder trusting what {@code trust} trusts; every name resolves to 127.0.0.1. */
  static Session.Builder builder(HandshakeCertificates trust) {
    return loopback().trustManager(trust.trustManager());
  }

  /** A session builder whose resolver maps every name to 127.0.0.1. */
  static Session.Builder loopback() {
    return Session.builder().resolver(host -> List.of(InetAddress.getByName("127.0.0.1")));
  }

  /** A started https MockWebServer on 127.0.0.1 presenting {@code certificates}. */
  MockWebServer https(HandshakeCertificates certificates) throws IOException {
    return https(certificates.sslSocketFactory());
  }

  /** A started https MockWebServer on 127.0.0.1 using {@code factory} for its TLS sockets. */
  MockWebServer https(SSLSocketFactory factory) throws IOException {
    MockWebServer server = new MockWebServer();
    Certificates.CountingServerSocketFactory counter = new Certificates.CountingServerSocketFactory();
    server.setServerSocketFactory(counter);
    server.useHttps(factory);
    servers.add(server);
    counters.put(server, counter);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  /** A started plain http MockWebServer on 127.0.0.1. */
  MockWebServer http() throws IOException {
    MockWebServer server = new MockWebServer();
    Certificates.CountingServerSocketFactory counter = new Certificates.CountingServerSocketFactory();
    server.setServerSocketFactory(counter);
    servers.add(server);
    counters.put(server, counter);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  /** Registers a server to be closed with the fixture. */
  <T extends AutoCloseable> T manage(T server) {
    servers.add(server);
    return server;
  }

  /** How many TCP connections {@code server} accepted so far (each one a handshake attempt). */
  int accepted(MockWebServer server) {
    return counters.get(server).accepted();
  }

  Connect connect(String host, int port) {
    Connect connect = session.connect(host, port);
    opened.add(connect);
    return connect;
  }

  /** A connect handle for localhost (which the certificates name). */
  Connect connect(int port) {
    return connect("localhost", port);
  }

  /** An https request. */
  Request secure(Connect connect, String method, String path) {
    Request request = connect.openRequest(method, path, OpenRequestFlag.SECURE);
    opened.add(request);
    return request;
  }

  /** A plain http request. */
  Request plain(Connect connect, String method, String path) {
    Request request = connect.openRequest(method, path);
    opened.add(request);
    return request;
  }

  /** Closes the request and waits for its HANDLE_CLOSING. */
  void closeAndAwait(Request request) {
    request.close();
    rec.awaitClosing(request);
  }

  /**
   * Closes every handle opened here, newest first, then the session, waiting for each
   * HANDLE_CLOSING before the next close so the order of the closings is fixed.
   */
  void closeAllAndAwait() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
      rec.awaitClosing(opened.get(i));
    }
    session.close();
    rec.awaitClosing(session);
  }

  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    session.close();
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  /** Reads the body with readData and a buffer of {@code bufferSize} until READ_COMPLETE 0. */
  static byte[] readAllBytes(Request request, int bufferSize) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
    while (true) {
      buffer.clear();
      int n = await(request.readData(buffer));
      if (n == 0) {
        return body.toByteArray();
      }
      body.write(buffer.array(), 0, n);
    }
  }

  static String readAll(Request request) {
    return new String(readAllBytes(request, 1024), StandardCharsets.ISO_8859_1);
  }

  /** The recorded lines of one handle (by alias), without the alias column. */
  List<String> linesOf(String alias) {
    return rec.lines().stream().filter(l -> l.startsWith(alias + " "))
        .map(l -> l.substring(alias.length() + 1)).collect(Collectors.toList());
  }

  /** Rule 12's four events for a request on a new connection to {@code host} (127.0.0.1). */
  static String fresh(String alias, String host) {
    return alias + " RESOLVING_NAME " + host + "\n"
        + alias + " NAME_RESOLVED " + host + "\n"
        + alias + " CONNECTING_TO_SERVER 127.0.0.1\n"
        + alias + " CONNECTED_TO_SERVER 127.0.0.1\n";
  }

  /** A whole successful exchange of {@code alias} on a new connection to localhost. */
  static String freshExchange(String alias) {
    return fresh(alias, "localhost") + alias + " SENDING_REQUEST\n"
        + alias + " REQUEST_SENT\n"
        + alias + " SENDREQUEST_COMPLETE\n"
        + alias + " RECEIVING_RESPONSE\n"
        + alias + " RESPONSE_RECEIVED\n"
        + alias + " HEADERS_AVAILABLE\n";
  }
}
