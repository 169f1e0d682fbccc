package dev.telltale.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ProxySettings;
import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ResponseHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** ProxySettings' bypass rules, the choice of hop, and the CONNECT request and answer. */
class ProxyRoutingTest {
  private static ProxySelector selector(Function<URI, List<Proxy>> answer) {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return answer.apply(uri);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    };
  }

  @Test
  void bypassEntriesMatchNamesSuffixesLiteralsAndLocal() {
    ProxySettings p = ProxySettings.http("proxy.test", 3128)
        .withBypass("Exact.Test", "*.corp.test", "10.1.2.3", "[::5]");
    assertTrue(p.bypasses("exact.test"));
    assertFalse(p.bypasses("www.exact.test"));
    assertTrue(p.bypasses("a.b.corp.test"));
    assertFalse(p.bypasses("corp.test"), "*.suffix needs something before the dot");
    assertTrue(p.bypasses("10.1.2.3"));
    assertTrue(p.bypasses("[::5]"));
    assertTrue(p.bypasses("::5"));
    assertFalse(p.bypasses("intranet"));
    ProxySettings local = ProxySettings.http("proxy.test", 3128).withBypass("<local>");
    assertTrue(local.bypasses("intranet"), "no dot: local, as WinHTTP means it");
    assertTrue(local.bypasses("localhost"));
    assertTrue(local.bypasses("127.0.0.1"));
    assertTrue(local.bypasses("::1"));
    assertFalse(local.bypasses("example.com"));
  }

  @Test
  void settingsAreValidatedAndNeverShowThePassword() {
    assertThrows(IllegalArgumentException.class, () -> ProxySettings.http("p", 0));
    assertThrows(IllegalArgumentException.class, () -> ProxySettings.http("", 80));
    assertThrows(IllegalArgumentException.class,
        () -> ProxySettings.http("p", 80).withCredentials("a:b", "x"));
    assertThrows(IllegalArgumentException.class,
        () -> ProxySettings.socks5("p", 1080).withCredentials("u", "x".repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> ProxySettings.http("p", 80).withBypass("a b"));
    assertThrows(IllegalStateException.class, () -> ProxySettings.none().withCredentials("u", "p"));
    ProxySettings p = ProxySettings.http("p", 80).withCredentials("alice", "s3cret");
    assertEquals("ProxySettings[http p:80, user alice]", p.toString());
    assertEquals(p, ProxySettings.http("p", 80).withCredentials("alice", "s3cret"));
    ProxyHop hop = ProxyRouting.choose(p, false, "o.test", 80);
    assertEquals("http://alice@p:80", hop.toString());
  }

  @Test
  void namedProxiesAreChosenUnlessBypassedAndNoneIsDirect() {
    assertNull(ProxyRouting.choose(ProxySettings.none(), true, "o.test", 443));
    ProxySettings http = ProxySettings.http("proxy.test", 3128).withBypass("*.local.test");
    assertEquals(new ProxyHop(false, "proxy.test", 3128, null, null),
        ProxyRouting.choose(http, true, "o.test", 443));
    assertNull(ProxyRouting.choose(http, true, "a.local.test", 443));
    ProxyHop socks = ProxyRouting.choose(ProxySettings.socks5("s.test", 1080).withCredentials("u", "p"),
        false, "o.test", 80);
    assertEquals(new ProxyHop(true, "s.test", 1080, "u", "p"), socks);
    assertTrue(socks.tunnels(false));
    assertFalse(new ProxyHop(false, "p", 1, null, null).tunnels(false));
    assertTrue(new ProxyHop(false, "p", 1, null, null).tunnels(true));
  }

  @Test
  void aSelectorIsAskedWithTheOriginUriAndItsFirstProxyIsUsed() {
    List<URI> asked = new java.util.ArrayList<>();
    ProxySettings settings = ProxySettings.selector(selector(uri -> {
      asked.add(uri);
      return switch (uri.getHost()) {
        case "direct.test" -> List.of(Proxy.NO_PROXY);
        case "socks.test" -> List.of(new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("s", 1080)));
        case "empty.test" -> List.of();
        default -> List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("h", 8080)),
            Proxy.NO_PROXY);
      };
    })).withCredentials("u", "p");
    assertEquals(new ProxyHop(false, "h", 8080, "u", "p"), ProxyRouting.choose(settings, true, "o.test", 443));
    assertEquals(new ProxyHop(true, "s", 1080, "u", "p"), ProxyRouting.choose(settings, false, "socks.test", 80));
    assertNull(ProxyRouting.choose(settings, false, "direct.test", 80));
    assertNull(ProxyRouting.choose(settings, false, "empty.test", 80));
    ProxyRouting.choose(settings, false, "::1", 8080);
    assertEquals(List.of(URI.create("https://o.test:443"), URI.create("http://socks.test:80"),
        URI.create("http://direct.test:80"), URI.create("http://empty.test:80"),
        URI.create("http://[::1]:8080")), asked);
  }

  @Test
  void connectRequestsAndTheirAnswers() throws Exception {
    String request = StandardCharsets.ISO_8859_1.decode(
        ConnectRequest.encode("[::1]", 443, "ua/1", "Basic eDp5")).toString();
    assertEquals("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\nUser-Agent: ua/1\r\n"
        + "Proxy-Authorization: Basic eDp5\r\n\r\n", request);
    ResponseHead challenge = head("HTTP/1.1 407 Proxy Authentication Required\r\n"
        + "Proxy-Authenticate: Digest realm=\"x\", Basic realm=\"y\"\r\n\r\n");
    assertTrue(ConnectRequest.offersBasic(challenge));
    assertFalse(ConnectRequest.opened(challenge));
    assertEquals("407 Proxy Authentication Required", ConnectRequest.status(challenge));
    assertFalse(ConnectRequest.offersBasic(head("HTTP/1.1 407 No\r\nProxy-Authenticate: Negotiate\r\n\r\n")));
    assertTrue(ConnectRequest.opened(head("HTTP/1.0 200 Connection established\r\n\r\n")));
    assertEquals("Basic YWxpY2U6czNjcmV0", new ProxyHop(false, "p", 1, "alice", "s3cret").basicAuthorization());
  }

  private static ResponseHead head(String text) throws Exception {
    return new Http1ResponseParser(4096, 64).parseHead(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
