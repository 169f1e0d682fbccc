package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.get;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.internal.proxy.ProxyRouting;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review of proxy routing and tunnels at their edges: SOCKS5 with an IPv6 literal origin and with
 * a host name SOCKS5 cannot carry, bypass entries with ports and wildcards, CONNECT answered with
 * a 2xx other than 200, and a resolver that returns one address twice.
 */
@ExtendWith(LeakCheck.class)
class ProxyReviewTest {
  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void socks5SendsAnIpv6LiteralOriginAsAddressType4() throws Exception {
    Socks5Server socks = new Socks5Server();
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", socks.port()));
    fx.manage(socks);
    MockWebServer origin = fx.server(false);
    socks.route("0:0:0:0:0:0:0:1", new InetSocketAddress("127.0.0.1", origin.getPort()));
    origin.enqueue(new MockResponse.Builder().body("v6").build());
    Connect connect = fx.connect("::1", origin.getPort());
    assertEquals("v6", get(fx.request(connect, "/", false)));
    assertEquals(List.of(new Socks5Server.Connect(4, "0:0:0:0:0:0:0:1", origin.getPort(), null)),
        socks.connects());
    assertEquals("[::1]:" + origin.getPort(), take(origin).getHeaders().get("Host"));
  }

  /**
   * SOCKS5 carries a host name in at most 255 bytes (RFC 1928 §5). A longer one must fail the
   * request with a typed error naming the problem, not throw on the I/O thread and leave the
   * request hanging with a connection open.
   */
  @Test
  void socks5WithAHostNameLongerThan255BytesFailsWithATypedError() throws Exception {
    Socks5Server socks = new Socks5Server();
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", socks.port()));
    fx.manage(socks);
    String longName = ("a".repeat(60) + ".").repeat(5) + "test"; // 309 bytes
    Connect connect = fx.connect(longName, 80);
    Request request = fx.request(connect, "/", false);
    HttpException error = awaitFailure(request.sendRequest());
    assertTrue(error.code() == ErrorCode.INVALID_URL || error.code() == ErrorCode.CANNOT_CONNECT,
        error.code() + ": " + error.getMessage());
    assertTrue(error.getMessage().contains("255"), error.getMessage());
    assertTrue(socks.connects().isEmpty());
  }

  /**
   * Request proxy credentials (setCredentials PROXY, Basic) also open SOCKS5 tunnels, but unlike
   * ProxySettings' they are not checked against RFC 1929's 255-byte fields: a longer user must be
   * LOGIN_FAILURE, not a wrapped length byte that garbles the handshake.
   */
  @Test
  void socks5RequestCredentialsLongerThan255BytesAreLoginFailure() throws Exception {
    Socks5Server socks = new Socks5Server("bob", "hunter2");
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", socks.port()));
    fx.manage(socks);
    Connect connect = fx.connect("origin.test", 80);
    Request request = fx.request(connect, "/", false);
    request.setCredentials(dev.telltale.AuthTarget.PROXY, dev.telltale.AuthScheme.BASIC, "b".repeat(300), "pw");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.LOGIN_FAILURE);
    assertTrue(error.getMessage().contains("255 bytes"), error.getMessage());
  }

  /** "999.1.1.1" is no IPv4 literal: it goes to the proxy as a name, and is never looked up here. */
  @Test
  void aDottedQuadOutOfRangeGoesToSocks5AsAName() throws Exception {
    dev.telltale.internal.proxy.Socks5Handshake h =
        new dev.telltale.internal.proxy.Socks5Handshake("999.1.1.1", 80, null, null);
    h.start();
    java.nio.ByteBuffer connectRequest = h.onBytes(java.nio.ByteBuffer.wrap(new byte[] {5, 0})).send();
    assertEquals(3, connectRequest.get(3), "address type 3: a domain name");
    assertEquals(9, connectRequest.get(4));
  }

  @Test
  void bypassEntriesMatchCaseInsensitivelyWithPortsAndWildcards() {
    ProxySettings proxy = ProxySettings.http("proxy.test", 3128)
        .withBypass("Intranet.Example:8080", "*.CORP.example", "10.*", "[::1]:9000", "fe80::1");
    assertNull(ProxyRouting.choose(proxy, false, "INTRANET.example", 8080), "host:port, any case");
    assertFalse(ProxyRouting.choose(proxy, false, "intranet.example", 80) == null, "another port: proxied");
    assertNull(ProxyRouting.choose(proxy, true, "a.b.corp.EXAMPLE", 443));
    assertFalse(ProxyRouting.choose(proxy, true, "corp.example", 443) == null, "*.x needs a label before .x");
    assertNull(ProxyRouting.choose(proxy, false, "10.1.2.3", 80), "WinHTTP-style wildcard prefix");
    assertFalse(ProxyRouting.choose(proxy, false, "110.1.2.3", 80) == null);
    assertNull(ProxyRouting.choose(proxy, false, "::1", 9000));
    assertNull(ProxyRouting.choose(proxy, false, "[::1]", 9000));
    assertFalse(ProxyRouting.choose(proxy, false, "::1", 9001) == null);
    assertNull(ProxyRouting.choose(proxy, false, "FE80::1", 1234), "a bare IPv6 literal has no port part");
    assertTrue(proxy.bypasses("intranet.example"), "without a port, an entry with one still names the host");
  }

  @Test
  void aBypassEntryWithAPortConnectsDirectlyEndToEnd() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(false);
    origin.enqueue(new MockResponse.Builder().body("direct").build());
    Connect connect = fx.connect("Origin.Test", origin.getPort());
    Request request = fx.request(connect, "/", false);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", 1)
        .withBypass("origin.test:" + origin.getPort()));
    assertEquals("direct", get(request));
    assertEquals("GET / HTTP/1.1", take(origin).getRequestLine());
  }

  /** RFC 9110 §15.3: any 2xx to CONNECT opens the tunnel; a proxy saying 299 is not refused. */
  @Test
  void aConnectAnsweredWithAnother2xxOpensTheTunnel() throws Exception {
    assertEquals("tunnelled", get(throughConnectProxy("HTTP/1.0 299 Tunnel Opened\r\nProxy-Agent: test\r\n\r\n")));
  }

  /**
   * RFC 9110 §9.3.6: a client ignores Content-Length and Transfer-Encoding in a 2xx to CONNECT;
   * the tunnel starts right after the head. Bytes the proxy sends there cannot come from a TLS
   * origin (the client speaks first), so they are a typed error, not handed to TLS as a record.
   */
  @Test
  void framingFieldsInAConnect200AreIgnoredAndBodyBytesAreRefused() throws Exception {
    assertEquals("tunnelled", get(throughConnectProxy(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n")));
    fx.close();
    fx = null;
    Request withBody = throughConnectProxy("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    HttpException error = awaitFailure(withBody.sendRequest(), ErrorCode.INVALID_SERVER_RESPONSE);
    assertTrue(error.getMessage().contains("sent bytes after opening the tunnel"), error.getMessage());
  }

  /**
   * A GET for origin.test over https through a minimal CONNECT proxy that answers {@code answer}
   * and then relays to an https MockWebServer that answers "tunnelled".
   */
  private Request throughConnectProxy(String answer) throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(true);
    origin.enqueue(new MockResponse.Builder().body("tunnelled").build());
    RawServer proxy = fx.manage(RawServer.start(c -> {
      c.readHead();
      c.write(answer);
      try (java.net.Socket up = new java.net.Socket("127.0.0.1", origin.getPort())) {
        Thread back = new Thread(() -> {
          try {
            up.getInputStream().transferTo(c.socket().getOutputStream());
          } catch (java.io.IOException ignored) {
            // the relay ends when either side closes
          }
        });
        back.setDaemon(true);
        back.start();
        c.socket().getInputStream().transferTo(up.getOutputStream());
      }
    }));
    Connect connect = fx.connect("origin.test", origin.getPort());
    Request request = fx.request(connect, "/", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.port()));
    return request;
  }

  /**
   * Closing a request while its proxy has not answered CONNECT (or SOCKS5) must close the
   * connection to the proxy now, not when CONNECT_TIMEOUT (60 s by default) ends the tunnel.
   */
  @Test
  void closingARequestWhileItsTunnelIsOpeningClosesTheProxyConnection() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    java.util.concurrent.CountDownLatch headRead = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch clientClosed = new java.util.concurrent.CountDownLatch(1);
    RawServer silentProxy = fx.manage(RawServer.start(c -> {
      c.readHead();
      headRead.countDown();
      c.drainUntilClientCloses();
      clientClosed.countDown();
    }));
    Connect connect = fx.connect("origin.test", 443);
    Request request = fx.request(connect, "/", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", silentProxy.port()));
    var sent = request.sendRequest();
    assertTrue(headRead.await(20, java.util.concurrent.TimeUnit.SECONDS), "CONNECT reached the proxy");
    fx.closeAndAwait(request);
    assertEquals(ErrorCode.OPERATION_CANCELLED, awaitFailure(sent).code());
    assertTrue(clientClosed.await(10, java.util.concurrent.TimeUnit.SECONDS),
        "the connection to the proxy is closed with the request");
  }

  /**
   * A resolver that lists an address twice (two DNS sources merged, /etc/hosts plus DNS) gets
   * one attempt per distinct address: a refused address is not tried again, and exactly one
   * CANNOT_CONNECT ends the request.
   */
  @Test
  void duplicateAddressesFromTheResolverAreTriedOnce() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      deadPort = s.getLocalPort();
    }
    InetAddress one = InetAddress.getByName("127.0.0.1");
    InetAddress two = InetAddress.getByName("127.0.0.2");
    RecordingCallback rec = new RecordingCallback();
    try (Session session = Session.builder().resolver(host -> List.of(one, two, one, two, one)).build()) {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("dup.test", deadPort);
      Request request = connect.openRequest("GET", "/");
      HttpException error = awaitFailure(request.sendRequest(), ErrorCode.CANNOT_CONNECT);
      assertTrue(error.getMessage().contains("cannot connect"), error.getMessage());
      request.close();
      connect.close();
      session.close();
      rec.awaitClosing(session);
    }
    List<String> attempts = rec.lines().stream().filter(l -> l.contains("CONNECTING_TO_SERVER")).toList();
    assertEquals(2, attempts.size(), "one attempt per distinct address: " + attempts);
    assertEquals(1, rec.lines().stream().filter(l -> l.contains("REQUEST_ERROR")).count(), rec.lines().toString());
  }
}
