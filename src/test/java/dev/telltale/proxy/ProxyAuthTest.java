package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.Roundtrip;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Request.setCredentials(PROXY, ...)} answering an HTTP proxy's 407 for plain http (the
 * proxy reads the head, so it is the one party allowed to see proxy credentials), and Digest
 * hashing the request target exactly as the proxy received it: in absolute form.
 */
@ExtendWith(LeakCheck.class)
class ProxyAuthTest {
  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private Request viaProxy(MockWebServer proxy, String path) {
    Connect connect = fx.connect("origin.test", 8080);
    Request request = fx.request(connect, path, false);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort()));
    return request;
  }

  @Test
  void aProxy407IsAnsweredOnceWithTheRequestsProxyCredentialsAndTheyStayWithTheProxy()
      throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    proxy.enqueue(new MockResponse.Builder().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"squid\"").body("who?").build());
    proxy.enqueue(new MockResponse.Builder().body("through").build());
    try (Request request = viaProxy(proxy, "/a")) {
      request.setCredentials(AuthTarget.PROXY, AuthScheme.DIGEST, "ignored", "ignored");
      request.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "alice", "s3cret");
      Roundtrip.Response response = Roundtrip.run(request, 64);
      assertEquals(200, response.status());
      assertEquals("through", response.text());
    }
    RecordedRequest first = take(proxy);
    RecordedRequest second = take(proxy);
    assertEquals("GET http://origin.test:8080/a HTTP/1.1", second.getRequestLine());
    assertEquals("Basic YWxpY2U6czNjcmV0", second.getHeaders().get("Proxy-Authorization"));
    assertNull(second.getHeaders().get("Authorization"), "proxy credentials are not server credentials");
    assertEquals(2, proxy.getRequestCount());
    assertTrue(first.getHeaders().get("Proxy-Authorization") == null
        || first.getHeaders().get("Proxy-Authorization").startsWith("Basic "));
  }

  @Test
  void digestToAProxyHashesTheAbsoluteFormTargetTheProxySaw() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(false);
    proxy.enqueue(new MockResponse.Builder().code(407)
        .addHeader("Proxy-Authenticate",
            "Digest realm=\"proxy\", qop=\"auth\", nonce=\"n0nce\", algorithm=SHA-256").build());
    proxy.enqueue(new MockResponse.Builder().body("ok").build());
    try (Request request = viaProxy(proxy, "/doc?x=1")) {
      request.setCredentials(AuthTarget.PROXY, AuthScheme.DIGEST, "Mufasa", "Circle of Life");
      assertEquals(200, Roundtrip.run(request, 64).status());
    }
    take(proxy);
    RecordedRequest answered = take(proxy);
    String authorization = answered.getHeaders().get("Proxy-Authorization");
    assertTrue(authorization.startsWith("Digest "), authorization);
    assertTrue(authorization.contains("uri=\"http://origin.test:8080/doc?x=1\""), authorization);
    assertNull(answered.getHeaders().get("Authorization"));
  }

  @Test
  void httpsThroughAProxyOpensItsTunnelWithTheRequestsBasicProxyCredentials() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(new MockResponse.Builder().inTunnel().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"p\"").addHeader("Connection", "close").build());
    proxy.enqueue(new MockResponse.Builder().inTunnel().build());
    proxy.enqueue(new MockResponse.Builder().body("secret page").build());
    Connect connect = fx.connect("origin.test", 443);
    try (Request request = fx.request(connect, "/", true)) {
      request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort()));
      request.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "alice", "s3cret");
      assertEquals("secret page", Roundtrip.run(request, 64).text());
    }
    assertNull(take(proxy).getHeaders().get("Proxy-Authorization"), "the first CONNECT asks without");
    RecordedRequest answered = take(proxy);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", answered.getRequestLine());
    assertEquals("Basic YWxpY2U6czNjcmV0", answered.getHeaders().get("Proxy-Authorization"));
    RecordedRequest inside = take(proxy);
    assertNull(inside.getHeaders().get("Proxy-Authorization"), "never inside the tunnel");
    assertNull(inside.getHeaders().get("Authorization"));
  }
}
