package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ws:// upgrade through real tinyproxy, which drops {@code Upgrade} from requests it forwards in
 * absolute form: it works only because the upgrade opens a CONNECT tunnel. Skipped, saying why,
 * where tinyproxy is not installed.
 */
@ExtendWith(LeakCheck.class)
class RealProxyWebSocketTest {
  private static Daemon tinyproxy;
  private ProxyFixture fx;

  @BeforeAll
  static void startDaemon() throws Exception {
    tinyproxy = Daemon.tinyproxy(null);
  }

  @AfterAll
  static void stopDaemon() throws Exception {
    if (tinyproxy != null) {
      tinyproxy.close();
    }
  }

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void wsThroughTinyproxyTunnelsWithConnectAndEchoes() throws Exception {
    fx = new ProxyFixture(ProxySettings.http("proxy.test", tinyproxy.port()));
    MockWebServer origin = fx.server(false);
    origin.enqueue(ProxyWebSocketTest.upgrade());
    Request request = fx.request(fx.connect("127.0.0.1", origin.getPort()), "/chat", false);
    request.setOption(Option.UPGRADE_TO_WEB_SOCKET, true);
    ProxyWebSocketTest.upgradeAndEcho(request);

    RecordedRequest seen = take(origin);
    assertEquals("GET /chat HTTP/1.1", seen.getRequestLine());
    assertEquals("websocket", seen.getHeaders().get("Upgrade"));
    assertNull(seen.getHeaders().get("Via"), "a tunnel passes bytes, not requests");
    assertTrue(tinyproxy.log().contains("CONNECT 127.0.0.1:" + origin.getPort()), tinyproxy.log());
  }
}
