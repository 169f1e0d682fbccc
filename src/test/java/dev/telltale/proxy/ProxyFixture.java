package dev.telltale.proxy;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.Handle;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A session whose resolver maps every name (origin.test, proxy.test, localhost) to 127.0.0.1, so
 * tests can tell the proxy's name from the origin's in the notifications; a RecordingCallback on
 * it; certificates for https origins named {@code origin.test} and {@code localhost}; and
 * everything opened, closed at the end.
 */
final class ProxyFixture implements AutoCloseable {
  static final HeldCertificate ROOT = new HeldCertificate.Builder().certificateAuthority(0)
      .commonName("proxy test root").build();
  static final HeldCertificate ORIGIN = new HeldCertificate.Builder().commonName("origin.test")
      .addSubjectAlternativeName("origin.test").addSubjectAlternativeName("localhost")
      .signedBy(ROOT).build();

  final RecordingCallback rec = new RecordingCallback();
  final Session session;
  final List<String> resolved = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Handle> opened = new ArrayList<>();
  private final List<AutoCloseable> servers = new ArrayList<>();

  ProxyFixture(ProxySettings proxy) {
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(ROOT.certificate()).build();
    session = Session.builder().proxy(proxy).trustManager(trust.trustManager())
        .resolver(host -> {
          resolved.add(host);
          return List.of(InetAddress.getByName("127.0.0.1"));
        }).build();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
  }

  /** What an https origin presents: {@link #ORIGIN} issued by {@link #ROOT}. */
  static HandshakeCertificates originCertificates() {
    return new HandshakeCertificates.Builder().heldCertificate(ORIGIN, ROOT.certificate()).build();
  }

  /** A started MockWebServer on 127.0.0.1 (https when {@code secure}). */
  MockWebServer server(boolean secure) throws IOException {
    MockWebServer server = new MockWebServer();
    if (secure) {
      server.useHttps(originCertificates().sslSocketFactory());
    }
    servers.add(server);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  <T extends AutoCloseable> T manage(T server) {
    servers.add(server);
    return server;
  }

  Connect connect(String host, int port) {
    Connect connect = session.connect(host, port);
    opened.add(connect);
    return connect;
  }

  Request request(Connect connect, String path, boolean secure) {
    Request request = secure ? connect.openRequest("GET", path, OpenRequestFlag.SECURE)
        : connect.openRequest("GET", path);
    opened.add(request);
    return request;
  }

  /** Sends, receives, reads the whole body; asserts status 200; returns the body. */
  static String get(Request request) {
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    return readAll(request);
  }

  static String readAll(Request request) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (true) {
      buffer.clear();
      int n = await(request.readData(buffer));
      if (n == 0) {
        return body.toString(StandardCharsets.ISO_8859_1);
      }
      body.write(buffer.array(), 0, n);
    }
  }

  void closeAndAwait(Request request) {
    request.close();
    rec.awaitClosing(request);
  }

  /** The next request {@code server} received, waiting for it. */
  static mockwebserver3.RecordedRequest take(MockWebServer server) throws InterruptedException {
    mockwebserver3.RecordedRequest recorded = server.takeRequest(20, TimeUnit.SECONDS);
    if (recorded == null) {
      throw new AssertionError("the server received no request within 20 s");
    }
    return recorded;
  }

  /** The recorded lines of one handle alias, without the alias. */
  List<String> linesOf(String alias) {
    return rec.lines().stream().filter(l -> l.startsWith(alias + " "))
        .map(l -> l.substring(alias.length() + 1).replaceAll("\\s+", " ").trim()).toList();
  }

  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    session.close();
    rec.awaitClosing(session);
    for (AutoCloseable server : servers) {
      server.close();
    }
  }
}
