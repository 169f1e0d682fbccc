package dev.telltale.proxy;

import static dev.telltale.proxy.ProxyFixture.readAll;
import static dev.telltale.proxy.ProxyFixture.take;
import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AuthScheme;
import dev.telltale.AuthSchemes;
import dev.telltale.AuthTarget;
import dev.telltale.Connect;
import dev.telltale.Option;
import dev.telltale.ProxySettings;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code CONNECT} answered 407 that the tunnel cannot answer is the request's response, as
 * WinHTTP hands it to the application: a ported application's "receiveResponse, 407,
 * queryAuthSchemes, setCredentials(PROXY), sendRequest again" works for https through a proxy.
 * The connection that carried the 407 reached the proxy, never the origin, so it is never pooled.
 */
@ExtendWith(LeakCheck.class)
class Connect407Test {
  private static final String BASIC_ALICE = "Basic YWxpY2U6czNjcmV0";

  private ProxyFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static MockResponse challenge(String scheme, String body) {
    return new MockResponse.Builder().inTunnel().code(407)
        .addHeader("Proxy-Authenticate", scheme).body(body).build();
  }

  private Request secureViaProxy(int proxyPort) {
    Connect connect = fx.connect("origin.test", 443);
    Request request = fx.request(connect, "/", true);
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxyPort));
    return request;
  }

  /** The request's notifications since {@code from}, without reads (their sizes depend on timing). */
  private List<String> requestLines(int from) {
    List<String> all = fx.linesOf("request");
    return all.subList(from, all.size()).stream().filter(l -> !l.startsWith("READ_COMPLETE")).toList();
  }

  private static final List<String> FRESH_SEND = List.of(
      "RESOLVING_NAME proxy.test",
      "NAME_RESOLVED proxy.test",
      "CONNECTING_TO_SERVER 127.0.0.1",
      "CONNECTED_TO_SERVER 127.0.0.1",
      "SENDING_REQUEST",
      "REQUEST_SENT",
      "SENDREQUEST_COMPLETE",
      "RECEIVING_RESPONSE",
      "RESPONSE_RECEIVED",
      "HEADERS_AVAILABLE");

  @Test
  void theWinHttpFlowReceives407QueriesSchemesSetsProxyCredentialsAndSendsAgain() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(challenge("Basic realm=\"squid\"", "login please"));
    proxy.enqueue(new MockResponse.Builder().inTunnel().build());
    proxy.enqueue(new MockResponse.Builder().body("secret page").build());
    Request request = secureViaProxy(proxy.getPort());

    await(request.sendRequest());
    ResponseHeaders refused = await(request.receiveResponse());
    assertEquals(407, refused.statusCode());
    assertEquals("Basic realm=\"squid\"", refused.firstValue("Proxy-Authenticate").orElseThrow());
    assertEquals("login please", readAll(request), "the proxy's body is readable");
    AuthSchemes offered = request.queryAuthSchemes();
    assertEquals(new AuthSchemes(Set.of(AuthScheme.BASIC), AuthScheme.BASIC, AuthTarget.PROXY), offered);
    List<String> firstSend = requestLines(1);
    assertEquals(FRESH_SEND, firstSend);

    int mark = fx.linesOf("request").size();
    request.setCredentials(offered.target(), AuthScheme.BASIC, "alice", "s3cret");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("secret page", readAll(request));
    assertEquals(FRESH_SEND, requestLines(mark), "a new connection: the 407's was not pooled");
    assertFalse(request.isConnectionReused());

    RecordedRequest asked = take(proxy);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", asked.getRequestLine());
    assertNull(asked.getHeaders().get("Proxy-Authorization"), "no credentials were known");
    RecordedRequest answered = take(proxy);
    assertEquals("CONNECT origin.test:443 HTTP/1.1", answered.getRequestLine());
    assertEquals(BASIC_ALICE, answered.getHeaders().get("Proxy-Authorization"),
        "the proxy asked for Basic: the new tunnel sends the credentials at once");
    assertNotEquals(asked.getConnectionIndex(), answered.getConnectionIndex());
    RecordedRequest inside = take(proxy);
    assertEquals("GET / HTTP/1.1", inside.getRequestLine());
    assertNull(inside.getHeaders().get("Proxy-Authorization"), "never inside the tunnel");
    assertNull(inside.getHeaders().get("Authorization"));
    assertEquals(answered.getConnectionIndex(), inside.getConnectionIndex());
    assertEquals(3, proxy.getRequestCount());
  }

  @Test
  void refusedCredentialsDeliverTheSecond407AsTheResponse() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(challenge("Basic realm=\"p\"", ""));
    proxy.enqueue(challenge("Basic realm=\"p\"", "still no"));
    Request request = secureViaProxy(proxy.getPort());
    request.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.getPort())
        .withCredentials("alice", "wrong"));

    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(407, headers.statusCode());
    assertEquals("still no", readAll(request));
    assertEquals(AuthTarget.PROXY, request.queryAuthSchemes().target());
    assertNull(take(proxy).getHeaders().get("Proxy-Authorization"), "the first CONNECT asks without");
    assertTrue(take(proxy).getHeaders().get("Proxy-Authorization").startsWith("Basic "),
        "the challenge was answered once; its refusal is the response");
    assertEquals(2, proxy.getRequestCount());
    long connects = fx.linesOf("request").stream().filter(l -> l.startsWith("CONNECTED_TO_SERVER")).count();
    assertEquals(2, connects, "the automatic answer went on a new connection");
  }

  /**
   * Digest for a tunnel would need the nonce of a 407 on a connection already gone and a pool key
   * holding Digest credentials; telltale answers CONNECT challenges with Basic only, and hands a
   * Digest-only 407 to the application even when Digest proxy credentials are set.
   */
  @Test
  void aDigestOnlyChallengeIsDeliveredEvenWithDigestCredentials() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(challenge("Digest realm=\"p\", qop=\"auth\", nonce=\"n0nce\", algorithm=SHA-256", ""));
    Request request = secureViaProxy(proxy.getPort());
    request.setCredentials(AuthTarget.PROXY, AuthScheme.DIGEST, "alice", "s3cret");
    await(request.sendRequest());
    assertEquals(407, await(request.receiveResponse()).statusCode());
    assertEquals("", readAll(request));
    assertEquals(new AuthSchemes(Set.of(AuthScheme.DIGEST), AuthScheme.DIGEST, AuthTarget.PROXY),
        request.queryAuthSchemes());
    assertNull(take(proxy).getHeaders().get("Proxy-Authorization"));
    assertEquals(1, proxy.getRequestCount());
  }

  /**
   * A keep-alive 407 with a body: the client reads the body, then closes the connection itself
   * (the proxy sees the close), and the next request through the same proxy dials anew, also
   * after a handle closed with the 407's body unread (which would otherwise be drained and pooled).
   */
  @Test
  void theConnectionThatCarriedThe407IsClosedAndNeverPooled() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    CountDownLatch clientClosed = new CountDownLatch(2);
    RawServer proxy = fx.manage(RawServer.start(c -> {
      c.readHead();
      c.write("HTTP/1.1 407 Proxy Authentication Required\r\n"
          + "Proxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 6\r\n\r\ndenied");
      c.drainUntilClientCloses();
      clientClosed.countDown();
    }));
    Connect connect = fx.connect("origin.test", 443);

    Request read = fx.request(connect, "/", true);
    read.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.port()));
    await(read.sendRequest());
    assertEquals(407, await(read.receiveResponse()).statusCode());
    assertEquals("denied", readAll(read));

    Request unread = fx.request(connect, "/", true);
    unread.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.port()));
    await(unread.sendRequest());
    assertEquals(407, await(unread.receiveResponse()).statusCode());
    assertFalse(unread.isConnectionReused(), "the first 407's connection was not pooled");
    fx.closeAndAwait(unread); // the body is not read: closed, not drained into the pool
    assertTrue(clientClosed.await(20, TimeUnit.SECONDS), "the client closed both connections");

    Request third = fx.request(connect, "/", true);
    third.setOption(Option.PROXY, ProxySettings.http("proxy.test", proxy.port()));
    await(third.sendRequest());
    assertEquals(407, await(third.receiveResponse()).statusCode());
    assertFalse(third.isConnectionReused());
    assertEquals(3, proxy.connections());
    assertTrue(proxy.heads().stream().allMatch(h -> h.startsWith("CONNECT origin.test:443 HTTP/1.1")));
    assertTrue(proxy.scriptErrors().isEmpty(), proxy.scriptErrors().toString());
  }

  @Test
  void a407WithConnectionCloseEndsWithTheCloseNotificationsLikeAPlainHttpProxys() throws Exception {
    fx = new ProxyFixture(ProxySettings.none());
    MockWebServer proxy = fx.server(true);
    proxy.enqueue(new MockResponse.Builder().inTunnel().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"p\"").addHeader("Connection", "close")
        .body("bye").build());
    Request request = secureViaProxy(proxy.getPort());
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(407, headers.statusCode());
    assertEquals("bye", readAll(request));
    List<String> lines = requestLines(1);
    assertEquals(List.of("CLOSING_CONNECTION", "CONNECTION_CLOSED"), lines.subList(FRESH_SEND.size(), lines.size()));
  }
}
