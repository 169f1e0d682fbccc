package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.get;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proxies against real, independently written daemons: Debian's tinyproxy (HTTP proxy and
 * CONNECT, one open and one with BasicAuth) and dante's danted (SOCKS5), started in the
 * foreground on free loopback ports for this class and killed after it. Skipped, saying why, where
 * the packages are not installed. Origins are MockWebServers on 127.0.0.1 named "localhost" (the
 * daemons resolve it themselves).
 */
@ExtendWith(LeakCheck.class)
class RealProxyTest {
  private static Daemon open;
  private static Daemon guarded;
  private static Daemon dante;
  private ProxyFixture fx;

  @BeforeAll
  static void startDaemons() throws Exception {
    open = Daemon.tinyproxy(null);
    guarded = Daemon.tinyproxy("alice s3cret");
    dante = Daemon.dante();
  }

  @AfterAll
  static void stopDaemons() throws Exception {
    for (Daemon d : new Daemon[] {open, guarded, dante}) {
      if (d != null) {
        d.close();
      }
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static MockResponse body(String text) {
    return new MockResponse.Builder().body(text).build();
  }

  @Test
  void plainHttpThroughTinyproxyArrivesAtTheOriginForwarded() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", open.port()));
    MockWebServer origin = fx.server(false);
    origin.enqueue(body("hello through tinyproxy"));
    Request request = fx.request(fx.connect("127.0.0.1", origin.getPort()), "/x?y=1", false);
    assertEquals("hello through tinyproxy", get(request));
    RecordedRequest seen = take(origin);
    assertEquals("GET /x?y=1 HTTP/1.1", seen.getRequestLine(), open.log());
    assertTrue(seen.getHeaders().get("Via").contains("tinyproxy"), "it did pass the proxy: " + seen.getHeaders());
    assertEquals("RESOLVING_NAME proxy.test", fx.linesOf("request").get(1));
  }

  @Test
  void httpsThroughTinyproxyTunnelsWithConnectAndVerifiesTheOrigin() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", open.port()));
    MockWebServer origin = fx.server(true);
    origin.enqueue(body("tunnelled"));
    origin.enqueue(body("again"));
    Connect connect = fx.connect("localhost", origin.getPort()); // the name the certificate has
    Request first = fx.request(connect, "/", true);
    assertEquals("tunnelled", get(first), open.log());
    fx.closeAndAwait(first);
    Request second = fx.request(connect, "/", true);
    assertEquals("again", get(second));
    assertTrue(second.isConnectionReused(), "the tunnel is pooled");
    RecordedRequest seen = take(origin);
    assertEquals("GET / HTTP/1.1", seen.getRequestLine());
    assertNull(seen.getHeaders().get("Via"), "a tunnel passes bytes, not requests");
  }

  @Test
  void tinyproxyBasicAuthIsAnsweredForConnectAndTheCredentialsStayWithTheProxy() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", guarded.port()).withCredentials("alice", "s3cret"));
    MockWebServer origin = fx.server(true);
    origin.enqueue(body("behind auth"));
    Request request = fx.request(fx.connect("localhost", origin.getPort()), "/", true);
    assertEquals("behind auth", get(request), guarded.log());
    RecordedRequest seen = take(origin);
    assertNull(seen.getHeaders().get("Proxy-Authorization"));
    assertNull(seen.getHeaders().get("Authorization"));
    // tinyproxy answered 407 and closed: a second connection carried the credentials
    long connects = fx.linesOf("request").stream().filter(l -> l.startsWith("CONNECTED_TO_SERVER")).count();
    assertEquals(2, connects, fx.linesOf("request").toString());
  }

  @Test
  void tinyproxyBasicAuthForPlainHttpAndThe407WithoutCredentials() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(false);
    origin.enqueue(body("plain behind auth"));
    Connect connect = fx.connect("127.0.0.1", origin.getPort());
    Request withCredentials = fx.request(connect, "/", false);
    withCredentials.setOption(dev.telltale.Option.PROXY,
        ProxySettings.http("proxy.test", guarded.port()).withCredentials("alice", "s3cret"));
    assertEquals("plain behind auth", get(withCredentials));
    RecordedRequest seen = take(origin);
    assertNull(seen.getHeaders().get("Proxy-Authorization"), "tinyproxy drops it; it was for the proxy");

    // plain http: the proxy's 407 is the response, as WinHTTP returns it to the application
    Request without = fx.request(connect, "/", false);
    without.setOption(dev.telltale.Option.PROXY, ProxySettings.http("proxy.test", guarded.port()));
    await(without.sendRequest());
    ResponseHeaders headers = await(without.receiveResponse());
    assertEquals(407, headers.statusCode());
    assertTrue(headers.firstValue("Proxy-Authenticate").orElseThrow().startsWith("Basic"));

    // https: a CONNECT answered 407 without credentials is the response too, as in WinHTTP; the
    // application sets proxy credentials and sends again on the same handle
    MockWebServer secureOrigin = fx.server(true);
    secureOrigin.enqueue(body("after the 407"));
    Request secure = fx.request(fx.connect("localhost", secureOrigin.getPort()), "/", true);
    secure.setOption(dev.telltale.Option.PROXY, ProxySettings.http("proxy.test", guarded.port()));
    await(secure.sendRequest());
    ResponseHeaders refused = await(secure.receiveResponse());
    assertEquals(407, refused.statusCode(), guarded.log());
    assertEquals(dev.telltale.AuthTarget.PROXY, secure.queryAuthSchemes().target());
    ProxyFixture.readAll(secure); // tinyproxy's page, up to its close
    secure.setCredentials(dev.telltale.AuthTarget.PROXY, dev.telltale.AuthScheme.BASIC, "alice", "s3cret");
    assertEquals("after the 407", get(secure), guarded.log());
    assertNull(take(secureOrigin).getHeaders().get("Proxy-Authorization"), "never inside the tunnel");

    // wrong credentials: tinyproxy answers 401, which is no challenge to the application

    Request wrong = fx.request(fx.connect("localhost", origin.getPort()), "/", true);
    wrong.setOption(dev.telltale.Option.PROXY,
        ProxySettings.http("proxy.test", guarded.port()).withCredentials("alice", "wrong"));
    HttpException rejected = awaitFailure(wrong.sendRequest(), ErrorCode.LOGIN_FAILURE);
    assertTrue(rejected.getMessage().contains("rejected the credentials"), rejected.getMessage());
  }

  @Test
  void tinyproxyRefusingAConnectTargetIsCannotConnect() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", open.port()));
    // port 1 on loopback: nothing listens, tinyproxy answers with an error status
    Request request = fx.request(fx.connect("127.0.0.1", 1), "/", true);
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.CANNOT_CONNECT);
    assertTrue(error.getMessage().contains("refused CONNECT 127.0.0.1:1"), error.getMessage());
  }

  @Test
  void socks5ThroughDanteForHttpAndHttps() throws Exception {
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", dante.port()));
    MockWebServer plain = fx.server(false);
    MockWebServer secure = fx.server(true);
    plain.enqueue(body("socks plain"));
    secure.enqueue(body("socks tls"));
    Request first = fx.request(fx.connect("127.0.0.1", plain.getPort()), "/p", false);
    assertEquals("socks plain", get(first), dante.log());
    assertEquals("GET /p HTTP/1.1", take(plain).getRequestLine());
    Request second = fx.request(fx.connect("localhost", secure.getPort()), "/s", true);
    assertEquals("socks tls", get(second), dante.log());
    assertEquals(List.of("localhost"), take(secure).getHandshakeServerNames());
    assertEquals(List.of("proxy.test", "proxy.test"), fx.resolved);
  }

  @Test
  void danteRefusingTheTargetIsCannotConnect() throws Exception {
    fx = new ProxyFixture(ProxySettings.socks5("proxy.test", dante.port()));
    Request request = fx.request(fx.connect("127.0.0.1", 1), "/", false);
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.CANNOT_CONNECT);
    assertTrue(error.getMessage().contains("refused CONNECT 127.0.0.1:1"), error.getMessage());
  }
}
