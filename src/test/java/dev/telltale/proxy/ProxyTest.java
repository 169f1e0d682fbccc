package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.get;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proxies against in-test peers: MockWebServer playing an HTTP proxy (it records the request line
 * as the proxy saw it) and a tunnelling one ({@code inTunnel} answers CONNECT, then TLS), raw
 * servers refusing CONNECT, and {@link Socks5Server}. The real daemons are in
 * {@link RealProxyTest}.
 */
@ExtendWith(LeakCheck.class)
class ProxyTest {
  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static MockResponse body(String text) {
    return new MockResponse.Builder().body(text).build();
  }

  private static final String FRESH_VIA_PROXY = """
      HANDLE_CREATED request
      RESOLVING_NAME proxy.test
      NAME_RESOLVED proxy.test
      CONNECTING_TO_SERVER 127.0.0.1
      CONNECTED_TO_SERVER 127.0.0.1
      SENDING_REQUEST
      """;

  /** The first request resolved and connected to the proxy, named as such. */
  private void assertFreshViaProxy() {
    String lines = String.join("\n", fx.linesOf("request"));
    assertTrue(lines.startsWith(FRESH_VIA_PROXY.strip()), lines);
  }

  @Test
  void plainHttpGoesToTheProxyInAbsoluteFormWithProxyAuthorizationAndEventsNameTheProxy()
      throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    proxy.enqueue(body("via proxy"));
    Connect connect = fx.connect("origin.test", 8080);
    Request request = fx.request(connect, "/path?q=1", false);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort())
        .withCredentials("alice", "s3cret"));
    assertEquals("via proxy", get(request));
    RecordedRequest seen = take(proxy);
    assertEquals("GET http://origin.test:8080/path?q=1 HTTP/1.1", seen.getRequestLine());
    assertEquals("origin.test:8080", seen.getHeaders().get("Host"));
    assertEquals("Basic YWxpY2U6czNjcmV0", seen.getHeaders().get("Proxy-Authorization"));
    assertEquals(List.of("proxy.test"), fx.resolved, "only the proxy's name is resolved");
    assertFreshViaProxy();
  }

  @Test
  void httpsThroughAnHttpProxyOpensAConnectTunnelAndVerifiesTheOriginNotTheProxy() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true); // answers CONNECT in the clear, then TLS as origin.test
    proxy.enqueue(new MockResponse.Builder().inTunnel().build());
    proxy.enqueue(body("secret page"));
    Connect connect = fx.connect("origin.test", 443);
    Request request = fx.request(connect, "/inside", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort()));
    assertEquals("secret page", get(request));
    RecordedRequest tunnel = take(proxy);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", tunnel.getRequestLine());
    assertNull(tunnel.getHeaders().get("Proxy-Authorization"), "no credentials were configured");
    RecordedRequest inside = take(proxy);
    assertEquals("GET /inside HTTP/1.1", inside.getRequestLine(), "origin form inside the tunnel");
    assertEquals("origin.test", inside.getHeaders().get("Host"));
    assertEquals(List.of("origin.test"), inside.getHandshakeServerNames(), "SNI names the origin");
    assertEquals(tunnel.getConnectionIndex(), inside.getConnectionIndex());
    assertFreshViaProxy();
  }

  @Test
  void aBypassedHostConnectsDirectlyAndOthersUseTheProxy() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    MockWebServer origin = fx.server(false);
    origin.enqueue(body("direct"));
    proxy.enqueue(body("proxied"));
    ProxySettings settings = ProxySettings.http("proxy.test", proxy.getPort())
        .withBypass("*.internal.test", "origin.test");
    Connect direct = fx.connect("origin.test", origin.getPort());
    Request first = fx.request(direct, "/", false);
    first.setOption(Option.PROXY, settings);
    assertEquals("direct", get(first));
    assertEquals("GET / HTTP/1.1", take(origin).getRequestLine());
    Connect other = fx.connect("elsewhere.test", 80);
    Request second = fx.request(other, "/", false);
    second.setOption(Option.PROXY, settings);
    assertEquals("proxied", get(second));
    assertEquals("GET http://elsewhere.test/ HTTP/1.1", take(proxy).getRequestLine());
    assertEquals(1, proxy.getRequestCount());
    assertEquals(1, origin.getRequestCount());
  }

  @Test
  void aRequestCopiesTheSessionProxyAndMayOverrideIt() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", 3128));
    MockWebServer origin = fx.server(false);
    origin.enqueue(body("direct"));
    Connect connect = fx.connect("origin.test", origin.getPort());
    assertEquals(ProxySettings.http("proxy.test", 3128), connect.queryOption(Option.PROXY));
    dev.telltale.testkit.AsyncAssertions.assertHandleException(ErrorCode.INCORRECT_HANDLE_TYPE,
        () -> connect.setOption(Option.PROXY, ProxySettings.none()));
    Request request = fx.request(connect, "/", false);
    assertEquals(ProxySettings.http("proxy.test", 3128), request.queryOption(Option.PROXY));
    request.setOption(Option.PROXY, ProxySettings.none());
    assertEquals("direct", get(request));
    assertEquals("GET / HTTP/1.1", take(origin).getRequestLine());
  }

  @Test
  void socks5WithoutAuthenticationSendsTheOriginNameToTheProxyAndPoolsTheTunnel() throws Exception {
    Socks5Server socks = new Socks5Server();
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", socks.port()));
    fx.manage(socks);
    MockWebServer origin = fx.server(false);
    socks.route("origin.test", new InetSocketAddress("127.0.0.1", origin.getPort()));
    origin.enqueue(body("one"));
    origin.enqueue(body("two"));
    Connect connect = fx.connect("origin.test", origin.getPort());
    Request first = fx.request(connect, "/1", false);
    assertEquals("one", get(first));
    fx.closeAndAwait(first);
    Request second = fx.request(connect, "/2", false);
    assertEquals("two", get(second));
    assertTrue(second.isConnectionReused(), "the tunnel is pooled under origin + proxy");
    assertEquals(List.of(new Socks5Server.Connect(3, "origin.test", origin.getPort(), null)),
        socks.connects());
    RecordedRequest seen = take(origin);
    assertEquals("GET /1 HTTP/1.1", seen.getRequestLine(), "origin form through a SOCKS tunnel");
    assertEquals(List.of("proxy.test"), fx.resolved, "the proxy resolves the origin's name");
    assertFreshViaProxy();
  }

  @Test
  void socks5UserPasswordAuthenticatesAndTheCredentialsNeverReachTheOrigin() throws Exception {
    Socks5Server socks = new Socks5Server("bob", "hunter2");
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", socks.port()).withCredentials("bob", "hunter2"));
    fx.manage(socks);
    MockWebServer origin = fx.server(true);
    socks.route("origin.test", new InetSocketAddress("127.0.0.1", origin.getPort()));
    origin.enqueue(body("tls via socks"));
    Connect connect = fx.connect("origin.test", origin.getPort());
    Request request = fx.request(connect, "/", true);
    assertEquals("tls via socks", get(request));
    assertEquals("bob", socks.connects().get(0).user());
    RecordedRequest seen = take(origin);
    assertEquals(List.of("origin.test"), seen.getHandshakeServerNames());
    assertNull(seen.getHeaders().get("Proxy-Authorization"));
    assertNull(seen.getHeaders().get("Authorization"));
  }

  @Test
  void socks5WrongPasswordIsLoginFailureAndARefusedConnectIsCannotConnect() throws Exception {
    Socks5Server socks = new Socks5Server("bob", "hunter2");
    fx = new ProxyFixture(ProxySettings.none());
    fx.manage(socks);
    Connect connect = fx.connect("origin.test", 80);
    Request wrong = fx.request(connect, "/", false);
    wrong.setOption(Option.PROXY, ProxySettings.socks5("proxy.test", socks.port()).withCredentials("bob", "nope"));
    HttpException login = awaitFailure(wrong.sendRequest(), ErrorCode.LOGIN_FAILURE);
    assertTrue(login.getMessage().contains("rejected user 'bob'"), login.getMessage());
    assertFalse(login.getMessage().contains("nope"), "the password is never in a message");

    Request none = fx.request(connect, "/", false);
    none.setOption(Option.PROXY, ProxySettings.socks5("proxy.test", socks.port()));
    HttpException needed = awaitFailure(none.sendRequest(), ErrorCode.LOGIN_FAILURE);
    assertTrue(needed.getMessage().contains("requires authentication"), needed.getMessage());

    Socks5Server strict = fx.manage(new Socks5Server());
    strict.refuseWith(2);
    Request refused = fx.request(connect, "/", false);
    refused.setOption(Option.PROXY, ProxySettings.socks5("proxy.test", strict.port()));
    HttpException error = awaitFailure(refused.sendRequest(), ErrorCode.CANNOT_CONNECT);
    assertTrue(error.getMessage().contains("connection not allowed by ruleset (2)"), error.getMessage());
  }

  @Test
  void connectAnsweredWithAnErrorStatusIsATypedErrorNamingTheStatusButA407IsTheResponse() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    RawServer forbidding = fx.manage(RawServer.respondAndClose(
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    Connect connect = fx.connect("origin.test", 443);
    Request request = fx.request(connect, "/", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", forbidding.port()));
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.CANNOT_CONNECT);
    assertTrue(error.getMessage().contains("refused CONNECT origin.test:443: 403 Forbidden"), error.getMessage());
    assertTrue(forbidding.heads().get(0).startsWith("CONNECT origin.test:443 HTTP/1.1"));

    RawServer demanding = fx.manage(RawServer.respondAndClose("HTTP/1.1 407 Proxy Authentication Required\r\n"
        + "Proxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\n\r\n"));
    Request noCredentials = fx.request(connect, "/", true);
    noCredentials.setOption(Option.PROXY, ProxySettings.http("proxy.test", demanding.port()));
    await(noCredentials.sendRequest());
    // a 407 is the one refusal the application can answer: it is the response (Connect407Test)
    assertEquals(407, await(noCredentials.receiveResponse()).statusCode());
  }

  @Test
  void aConnect407WithCredentialsIsAnsweredOnceWithBasicOnANewConnection() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(new MockResponse.Builder().inTunnel().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"p\"").addHeader("Connection", "close").build());
    proxy.enqueue(new MockResponse.Builder().inTunnel().build());
    proxy.enqueue(body("authorized"));
    Connect connect = fx.connect("origin.test", 443);
    Request request = fx.request(connect, "/", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort())
        .withCredentials("alice", "s3cret"));
    assertEquals("authorized", get(request));
    RecordedRequest challenged = take(proxy);
    assertNull(challenged.getHeaders().get("Proxy-Authorization"), "the first CONNECT asks without");
    RecordedRequest answered = take(proxy);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", answered.getRequestLine());
    assertEquals("Basic YWxpY2U6czNjcmV0", answered.getHeaders().get("Proxy-Authorization"));
    RecordedRequest inside = take(proxy);
    assertNull(inside.getHeaders().get("Proxy-Authorization"), "never inside the tunnel");
  }

  @Test
  void aProxySelectorIsAskedPerRequestWithDetectingProxyFirst() throws Exception {
    MockWebServer[] proxyHolder = new MockWebServer[1];
    List<URI> asked = Collections.synchronizedList(new ArrayList<>());
    ProxySelector selector = new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        asked.add(uri);
        if (uri.getHost().equals("direct.test")) {
          return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP,
            InetSocketAddress.createUnresolved("proxy.test", proxyHolder[0].getPort())));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    };
    fx = new ProxyFixture(ProxySettings.selector(selector));
    MockWebServer proxy = fx.server(false);
    proxyHolder[0] = proxy;
    MockWebServer origin = fx.server(false);
    proxy.enqueue(body("selected"));
    origin.enqueue(body("direct"));
    Request viaProxy = fx.request(fx.connect("origin.test", 8080), "/", false);
    assertEquals("selected", get(viaProxy));
    assertEquals("GET http://origin.test:8080/ HTTP/1.1", take(proxy).getRequestLine());
    assertEquals("DETECTING_PROXY", fx.linesOf("request").get(1), fx.linesOf("request").toString());
    assertEquals("RESOLVING_NAME proxy.test", fx.linesOf("request").get(2));
    Request direct = fx.request(fx.connect("direct.test", origin.getPort()), "/", false);
    assertEquals("direct", get(direct));
    assertEquals(List.of(URI.create("http://origin.test:8080"),
        URI.create("http://direct.test:" + origin.getPort())), asked);
  }

  @Test
  void aFailingProxySelectorIsAutodetectionFailed() throws Exception {
    ProxySelector broken = new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        throw new IllegalStateException("no PAC today");
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    };
    fx = new ProxyFixture(ProxySettings.selector(broken));
    Request request = fx.request(fx.connect("origin.test", 80), "/", false);
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.AUTODETECTION_FAILED);
    assertTrue(error.getMessage().contains("no PAC today"), error.getMessage());
  }

  @Test
  void pooledConnectionsAreKeyedByProxyAndOrigin() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxyA = fx.server(false);
    MockWebServer proxyB = fx.server(false);
    MockWebServer origin = fx.server(false);
    for (int i = 0; i < 2; i++) {
      proxyA.enqueue(body("a"));
      proxyB.enqueue(body("b"));
    }
    origin.enqueue(body("o"));
    Connect connect = fx.connect("origin.test", origin.getPort());
    ProxySettings a = ProxySettings.http("proxy.test", proxyA.getPort());
    ProxySettings b = ProxySettings.http("proxy.test", proxyB.getPort());
    String[] expected = {"a", "b", "o", "a", "b"};
    ProxySettings[] route = {a, b, ProxySettings.none(), a, b};
    boolean[] reused = {false, false, false, true, true};
    for (int i = 0; i < route.length; i++) {
      Request request = fx.request(connect, "/" + i, false);
      request.setOption(Option.PROXY, route[i]);
      assertEquals(expected[i], get(request), "request " + i);
      assertEquals(reused[i], request.isConnectionReused(), "request " + i);
      fx.closeAndAwait(request);
    }
    assertEquals(2, proxyA.getRequestCount());
    assertEquals(2, proxyB.getRequestCount());
    assertEquals(1, origin.getRequestCount());
    assertEquals("GET /2 HTTP/1.1", take(origin).getRequestLine());
  }
}
