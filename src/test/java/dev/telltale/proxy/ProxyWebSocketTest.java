package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.get;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testkit.LeakCheck;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket upgrades through proxies: through an HTTP proxy even ws:// opens a CONNECT tunnel
 * (proxies in absolute form do not forward {@code Upgrade}), on connections the pool keeps apart
 * from absolute-form ones; wss:// tunnels as https does; SOCKS5 tunnels everything. MockWebServer
 * plays the tunnelling proxy ({@code inTunnel} answers CONNECT, then it is the origin).
 */
@ExtendWith(LeakCheck.class)
class ProxyWebSocketTest {
  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** The server side: echoes every text message. */
  private static final class Echo extends WebSocketListener {
    @Override
    public void onMessage(okhttp3.WebSocket webSocket, String text) {
      webSocket.send(text);
    }

    @Override
    public void onClosing(okhttp3.WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
    }

    @Override
    public void onOpen(okhttp3.WebSocket webSocket, Response response) {}
  }

  static MockResponse upgrade() {
    return new MockResponse.Builder().webSocketUpgrade(new Echo()).build();
  }

  private static MockResponse tunnel() {
    return new MockResponse.Builder().inTunnel().build();
  }

  private Request upgradeRequest(Connect connect, boolean secure, ProxySettings proxy) {
    Request request = fx.request(connect, "/chat", secure);
    request.setOption(Option.UPGRADE_TO_WEB_SOCKET, true);
    request.setOption(Option.PROXY, proxy);
    return request;
  }

  /** Upgrades, then sends a text message and asserts it comes back. */
  static void upgradeAndEcho(Request request) {
    await(request.sendRequest());
    assertEquals(101, await(request.receiveResponse()).statusCode());
    WebSocket socket = request.completeUpgrade(null);
    try {
      await(socket.send(WebSocketBufferType.UTF8_MESSAGE,
          ByteBuffer.wrap("through the proxy".getBytes(StandardCharsets.UTF_8))));
      ByteBuffer in = ByteBuffer.allocate(256);
      WebSocketStatus got = await(socket.receive(in));
      assertEquals(WebSocketBufferType.UTF8_MESSAGE, got.bufferType());
      assertEquals("through the proxy", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
      await(socket.close(1000, "done"));
    } finally {
      socket.close();
    }
  }

  @Test
  void wsThroughAnHttpProxyOpensAConnectTunnelAndSendsTheUpgradeInOriginForm() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    proxy.enqueue(tunnel());
    proxy.enqueue(upgrade());
    Connect connect = fx.connect("origin.test", 8080);
    Request request = upgradeRequest(connect, false,
        ProxySettings.http("proxy.test", proxy.getPort()).withCredentials("alice", "s3cret"));
    upgradeAndEcho(request);

    RecordedRequest connectLine = take(proxy);
    assertEquals("CONNECT origin.test:8080 HTTP/1.1", connectLine.getRequestLine());
    RecordedRequest upgradeLine = take(proxy);
    assertEquals("GET /chat HTTP/1.1", upgradeLine.getRequestLine(), "origin form inside the tunnel");
    assertEquals("websocket", upgradeLine.getHeaders().get("Upgrade"));
    assertNull(upgradeLine.getHeaders().get("Proxy-Authorization"), "proxy credentials never reach the origin");
  }

  @Test
  void anUpgradeNeverTakesAnIdleAbsoluteFormConnectionNorTheOtherWayRound() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    ProxySettings settings = ProxySettings.http("proxy.test", proxy.getPort());
    proxy.enqueue(new MockResponse.Builder().body("plain").build());
    proxy.enqueue(tunnel());
    proxy.enqueue(new MockResponse.Builder().body("no upgrade today").build()); // 200, kept alive
    proxy.enqueue(new MockResponse.Builder().body("plain again").build());
    Connect connect = fx.connect("origin.test", 8080);

    Request plain = fx.request(connect, "/plain", false);
    plain.setOption(Option.PROXY, settings);
    assertEquals("plain", get(plain));
    fx.closeAndAwait(plain); // its connection is idle in the pool now

    Request upgrade = upgradeRequest(connect, false, settings);
    assertEquals("no upgrade today", get(upgrade));
    assertFalse(upgrade.isConnectionReused(), "the upgrade opened its own tunnel");
    fx.closeAndAwait(upgrade); // a tunnelled connection is idle in the pool too

    Request again = fx.request(connect, "/again", false);
    again.setOption(Option.PROXY, settings);
    assertEquals("plain again", get(again));
    assertTrue(again.isConnectionReused(), "the absolute-form connection, not the tunnel");

    assertEquals("GET http://origin.test:8080/plain HTTP/1.1", take(proxy).getRequestLine());
    RecordedRequest connectLine = take(proxy);
    assertEquals("CONNECT origin.test:8080 HTTP/1.1", connectLine.getRequestLine());
    RecordedRequest inTunnel = take(proxy);
    assertEquals("GET /chat HTTP/1.1", inTunnel.getRequestLine());
    assertTrue(connectLine.getConnectionIndex() == inTunnel.getConnectionIndex());
    RecordedRequest last = take(proxy);
    assertEquals("GET http://origin.test:8080/again HTTP/1.1", last.getRequestLine());
    assertTrue(last.getConnectionIndex() != inTunnel.getConnectionIndex(), "never inside the tunnel");
  }

  @Test
  void wssThroughAnHttpProxyTunnelsAndRunsTlsWithTheOrigin() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true); // answers CONNECT in the clear, then TLS as origin.test
    proxy.enqueue(tunnel());
    proxy.enqueue(upgrade());
    Connect connect = fx.connect("origin.test", 443);
    Request request = upgradeRequest(connect, true, ProxySettings.http("proxy.test", proxy.getPort()));
    upgradeAndEcho(request);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", take(proxy).getRequestLine());
    assertEquals("GET /chat HTTP/1.1", take(proxy).getRequestLine());
  }

  @Test
  void wsThroughSocks5Tunnels() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer origin = fx.server(false);
    origin.enqueue(upgrade());
    Socks5Server socks = fx.manage(new Socks5Server());
    socks.route("origin.test", new InetSocketAddress("127.0.0.1", origin.getPort()));
    Connect connect = fx.connect("origin.test", 8080);
    Request request = upgradeRequest(connect, false, ProxySettings.socks5("proxy.test", socks.port()));
    upgradeAndEcho(request);
    assertEquals("GET /chat HTTP/1.1", take(origin).getRequestLine());
    assertEquals("origin.test", socks.connects().get(0).host());
  }
}
