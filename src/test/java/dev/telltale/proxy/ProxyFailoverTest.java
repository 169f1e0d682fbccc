package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.get;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.internal.proxy.ProxyRouting;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ProxySelector listing several ways: a proxy that cannot be reached (refused port, CONNECT
 * refused) is reported to {@code connectFailed} and the next one is tried, each attempt with its
 * own connect notifications; DIRECT only when listed; a rejected login or a delivered 407 is not a
 * reason to try another proxy; when every way fails the error names each.
 */
@ExtendWith(LeakCheck.class)
class ProxyFailoverTest {
  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** Offers a fixed list and records each connectFailed call with the thread it came on. */
  private static final class ListSelector extends ProxySelector {
    final List<Proxy> offer;
    final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    ListSelector(Proxy... offer) {
      this.offer = List.of(offer);
    }

    @Override
    public List<Proxy> select(URI uri) {
      return offer;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      InetSocketAddress inet = (InetSocketAddress) sa;
      failed.add(uri + " " + inet.getHostString() + ":" + inet.getPort() + " "
          + ((HttpException) ioe).code());
      threads.add(Thread.currentThread());
    }
  }

  private static Proxy http(int port) {
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.test", port));
  }

  /** A loopback port nothing listens on: connecting to it is refused. */
  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private long count(String prefix) {
    return fx.linesOf("request").stream().filter(l -> l.startsWith(prefix)).count();
  }

  @Test
  void theRouteKeepsTheSelectorsOrderWithDirectWhereListed() {
    ListSelector selector = new ListSelector(http(1),
        new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("s.test", 2)), Proxy.NO_PROXY);
    ProxyRouting.Route route = ProxyRouting.route(ProxySettings.selector(selector), true, "o.test", 443);
    assertEquals(URI.create("https://o.test:443"), route.uri());
    assertEquals("[http://proxy.test:1, socks5://s.test:2, DIRECT]", route.candidates().toString());
    assertEquals("[DIRECT]", ProxyRouting.route(ProxySettings.selector(new ListSelector()), false,
        "o.test", 80).candidates().toString(), "an empty list connects directly");
    ProxyRouting.Route named = ProxyRouting.route(ProxySettings.http("p.test", 3128), false, "o.test", 80);
    assertEquals("[http://p.test:3128]", named.candidates().toString());
    named.connectFailed(named.candidates().get(0), new IOException("no selector to tell"));
  }

  @Test
  void aRefusedProxyIsReportedAndTheNextOneServesTheRequest() throws Exception {
    int dead = deadPort();
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer live = fx.server(false);
    live.enqueue(new MockResponse.Builder().body("via the second").build());
    ListSelector selector = new ListSelector(http(dead), http(live.getPort()));
    Connect connect = fx.connect("origin.test", 8080);
    Request request = fx.request(connect, "/x", false);
    request.setOption(dev.telltale.Option.PROXY, ProxySettings.selector(selector));
    assertEquals("via the second", get(request));

    assertEquals("GET http://origin.test:8080/x HTTP/1.1", take(live).getRequestLine());
    assertEquals(List.of("http://origin.test:8080 proxy.test:" + dead + " CANNOT_CONNECT"), selector.failed);
    assertNotSame(Thread.currentThread(), selector.threads.get(0));
    assertEquals(1, count("DETECTING_PROXY"), "the selector is asked once");
    assertEquals(2, count("RESOLVING_NAME proxy.test"), "each attempt reports its steps");
    assertEquals(2, count("CONNECTING_TO_SERVER"));
    assertEquals(1, count("CONNECTED_TO_SERVER"));
  }

  @Test
  void directIsTriedWhenTheSelectorListsIt() throws Exception {
    int dead = deadPort();
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(false);
    origin.enqueue(new MockResponse.Builder().body("direct").build());
    ListSelector selector = new ListSelector(http(dead), Proxy.NO_PROXY);
    Request request = fx.request(fx.connect("origin.test", origin.getPort()), "/d", false);
    request.setOption(dev.telltale.Option.PROXY, ProxySettings.selector(selector));
    assertEquals("direct", get(request));
    assertEquals("GET /d HTTP/1.1", take(origin).getRequestLine(), "origin form: no proxy");
    assertEquals(1, selector.failed.size());
  }

  @Test
  void whenEveryProxyFailsTheErrorNamesEachAndDirectIsNotTriedUnlessListed() throws Exception {
    int deadHttp = deadPort();
    int deadSocks = deadPort();
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(false); // reachable directly, but DIRECT was not offered
    ListSelector selector = new ListSelector(http(deadHttp),
        new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("proxy.test", deadSocks)));
    Request request = fx.request(fx.connect("origin.test", origin.getPort()), "/", false);
    request.setOption(dev.telltale.Option.PROXY, ProxySettings.selector(selector));
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.CANNOT_CONNECT);
    assertTrue(error.getMessage().contains("http://proxy.test:" + deadHttp), error.getMessage());
    assertTrue(error.getMessage().contains("socks5://proxy.test:" + deadSocks), error.getMessage());
    assertEquals(2, selector.failed.size(), selector.failed.toString());
    assertTrue(selector.failed.get(1).contains(":" + deadSocks), selector.failed.toString());
    assertEquals(0, origin.getRequestCount());
    assertEquals(2, count("CONNECTING_TO_SERVER"));
  }

  @Test
  void aProxyRefusingConnectIsSkippedForTheNextTunnel() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    RawServer forbidding = fx.manage(RawServer.respondAndClose(
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    MockWebServer tunnelling = fx.server(true);
    tunnelling.enqueue(new MockResponse.Builder().inTunnel().build());
    tunnelling.enqueue(new MockResponse.Builder().body("secure via the second").build());
    ListSelector selector = new ListSelector(http(forbidding.port()), http(tunnelling.getPort()));
    Request request = fx.request(fx.connect("origin.test", 443), "/s", true);
    request.setOption(dev.telltale.Option.PROXY, ProxySettings.selector(selector));
    assertEquals("secure via the second", get(request));
    assertEquals(List.of("https://origin.test:443 proxy.test:" + forbidding.port() + " CANNOT_CONNECT"),
        selector.failed);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", take(tunnelling).getRequestLine());
    assertEquals(2, count("CONNECTED_TO_SERVER"), "both proxies were reached");
  }

  @Test
  void aRejectedLoginOrA407IsNotAReasonToTryAnotherProxy() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer live = fx.server(false);
    Socks5Server strict = fx.manage(new Socks5Server("bob", "hunter2"));
    ListSelector socksFirst = new ListSelector(
        new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("proxy.test", strict.port())),
        http(live.getPort()));
    Connect connect = fx.connect("origin.test", 8080);
    Request wrong = fx.request(connect, "/", false);
    wrong.setOption(dev.telltale.Option.PROXY,
        ProxySettings.selector(socksFirst).withCredentials("bob", "nope"));
    awaitFailure(wrong.sendRequest(), ErrorCode.LOGIN_FAILURE);

    RawServer demanding = fx.manage(RawServer.respondAndClose("HTTP/1.1 407 Proxy Authentication Required\r\n"
        + "Proxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\n\r\n"));
    ListSelector demandingFirst = new ListSelector(http(demanding.port()), http(live.getPort()));
    Request challenged = fx.request(fx.connect("origin.test", 443), "/", true);
    challenged.setOption(dev.telltale.Option.PROXY, ProxySettings.selector(demandingFirst));
    await(challenged.sendRequest());
    assertEquals(407, await(challenged.receiveResponse()).statusCode());

    assertEquals(List.of(), socksFirst.failed);
    assertEquals(List.of(), demandingFirst.failed);
    assertEquals(0, live.getRequestCount());
  }
}
