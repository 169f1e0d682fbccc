package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.ascii;
import static dev.telltale.lifecycle.Fixture.await;
import static dev.telltale.lifecycle.Fixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.telltale.AsyncApi;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.RedirectPolicy;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule 14: a followed redirect is an internal cycle of the one receiveResponse. */
@ExtendWith(LeakCheck.class)
class RedirectTest {
  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer other = new MockWebServer();
  private final Fixture fx = new Fixture();

  @AfterEach
  void closeEverything() {
    fx.close();
  }

  private static MockResponse redirect(int code, String location) {
    return new MockResponse.Builder().code(code).addHeader("Location", location).build();
  }

  private static final String SENT_ON_NEW_CONNECTION = """
      session HANDLE_CREATED       connect
      request HANDLE_CREATED       request
      request RESOLVING_NAME       127.0.0.1
      request NAME_RESOLVED        127.0.0.1
      request CONNECTING_TO_SERVER 127.0.0.1
      request CONNECTED_TO_SERVER  127.0.0.1
      request SENDING_REQUEST
      request REQUEST_SENT
      request SENDREQUEST_COMPLETE
      request RECEIVING_RESPONSE
      request RESPONSE_RECEIVED
      """;

  @Test
  void rule14_relativeRedirectIsFollowedAsAnInternalCycleWithOneHeadersAvailable() throws Exception {
    server.enqueue(redirect(302, "/final"));
    server.enqueue(new MockResponse.Builder().body("done").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    assertEquals("done", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request REDIRECT             /final
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        4
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertEquals("GET /start HTTP/1.1", first.getRequestLine());
    assertEquals("GET /final HTTP/1.1", second.getRequestLine());
    assertEquals(first.getConnectionIndex(), second.getConnectionIndex(),
        "the redirect reuses the connection its 3xx came on (rule 13)");
  }

  @Test
  void rule14_redirectToAnotherOriginResolvesAndConnectsInTheInternalCycle() throws Exception {
    server.enqueue(redirect(302, "http://127.0.0.1:" + other.getPort() + "/elsewhere"));
    other.enqueue(new MockResponse.Builder().body("there").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("there", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request REDIRECT             /elsewhere
        request RESOLVING_NAME       127.0.0.1
        request NAME_RESOLVED        127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER  127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        5
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest moved = other.takeRequest();
    assertEquals("GET /elsewhere HTTP/1.1", moved.getRequestLine());
    assertEquals("127.0.0.1:" + other.getPort(), moved.getHeaders().get("Host"));
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void rule14_credentialsAreDroppedWhenTheRedirectChangesOrigin() throws Exception {
    server.enqueue(redirect(302, "http://127.0.0.1:" + other.getPort() + "/elsewhere"));
    other.enqueue(new MockResponse.Builder().body("there").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    request.addHeader("Authorization", "Bearer secret");
    request.addHeader("Cookie", "session=abc");
    request.addHeader("X-Trace", "42");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("there", readAll(request, 100));
    fx.closeAllAndAwait();
    RecordedRequest first = server.takeRequest();
    assertEquals("Bearer secret", first.getHeaders().get("Authorization"));
    assertEquals("session=abc", first.getHeaders().get("Cookie"));
    RecordedRequest moved = other.takeRequest();
    assertNull(moved.getHeaders().get("Authorization"), "Authorization must not leak to another origin");
    assertNull(moved.getHeaders().get("Cookie"), "Cookie must not leak to another origin");
    assertEquals("42", moved.getHeaders().get("X-Trace"), "other fields follow the redirect");
    assertEquals("127.0.0.1:" + other.getPort(), moved.getHeaders().get("Host"));
  }

  @Test
  void rule14_credentialsAreKeptWhenTheRedirectStaysOnTheSameOrigin() throws Exception {
    server.enqueue(redirect(302, "/final"));
    server.enqueue(new MockResponse.Builder().body("done").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    request.addHeader("Authorization", "Bearer secret");
    request.addHeader("Cookie", "session=abc");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("done", readAll(request, 100));
    fx.closeAllAndAwait();
    server.takeRequest();
    RecordedRequest moved = server.takeRequest();
    assertEquals("GET /final HTTP/1.1", moved.getRequestLine());
    assertEquals("Bearer secret", moved.getHeaders().get("Authorization"));
    assertEquals("session=abc", moved.getHeaders().get("Cookie"));
  }

  @Test
  void rule14_seeOther303AfterPostIsFollowedWithGetWithoutBody() throws Exception {
    server.enqueue(redirect(303, "/result"));
    server.enqueue(new MockResponse.Builder().body("done").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/submit");
    await(request.sendRequest("Content-Type: text/plain", ascii("payload"), 7, null));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("done", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request REDIRECT             /result
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        4
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest post = server.takeRequest();
    assertEquals("POST /submit HTTP/1.1", post.getRequestLine());
    assertEquals("payload", post.getBody().utf8());
    assertGetWithoutBody(server.takeRequest(), "/result");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {301, 302})
  void rule14_movedOrFoundAfterPostIsFollowedWithGetWithoutBody(int code) throws Exception {
    server.enqueue(redirect(code, "/result"));
    server.enqueue(new MockResponse.Builder().body("done").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/submit");
    await(request.sendRequest("Content-Type: text/plain", ascii("payload"), 7, null));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("done", readAll(request, 100));
    fx.closeAllAndAwait();
    assertEquals("payload", server.takeRequest().getBody().utf8());
    assertGetWithoutBody(server.takeRequest(), "/result");
  }

  private static void assertGetWithoutBody(RecordedRequest moved, String path) {
    assertEquals("GET " + path + " HTTP/1.1", moved.getRequestLine());
    assertEquals(0, moved.getBodySize());
    assertNull(moved.getHeaders().get("Content-Length"));
    assertNull(moved.getHeaders().get("Content-Type"));
    assertNull(moved.getHeaders().get("Transfer-Encoding"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {307, 308})
  void rule14_temporaryOrPermanentRedirectKeepsPostAndItsBody(int code) throws Exception {
    server.enqueue(redirect(code, "/again"));
    server.enqueue(new MockResponse.Builder().body("done").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "POST", "/submit");
    await(request.sendRequest("Content-Type: text/plain", ascii("payload"), 7, null));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("done", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request REDIRECT             /again
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE        4
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    server.takeRequest();
    RecordedRequest moved = server.takeRequest();
    assertEquals("POST /again HTTP/1.1", moved.getRequestLine());
    assertEquals("payload", moved.getBody().utf8());
    assertEquals("7", moved.getHeaders().get("Content-Length"));
    assertEquals("text/plain", moved.getHeaders().get("Content-Type"));
  }

  @Test
  void rule14_redirectPolicyNeverDeliversTheRedirectAsTheFinalResponse() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/final")
        .body("moved").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    request.setOption(Option.REDIRECT_POLICY, RedirectPolicy.NEVER);
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(302, headers.statusCode());
    assertEquals("/final", headers.firstValue("Location").orElseThrow());
    assertEquals("moved", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request HEADERS_AVAILABLE
        request READ_COMPLETE        5
        request READ_COMPLETE        0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void rule21_moreRedirectsThanMaxHttpAutomaticRedirectsFailWithRedirectFailed() throws Exception {
    server.enqueue(redirect(302, "/a"));
    server.enqueue(redirect(302, "/b"));
    server.enqueue(redirect(302, "/c"));
    server.enqueue(new MockResponse.Builder().body("never").build());
    Connect connect = fx.connect(server.getPort());
    Request request = fx.open(connect, "GET", "/start");
    request.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 2);
    await(request.sendRequest());
    CompletableFuture<ResponseHeaders> received = request.receiveResponse();
    HttpException error = Fixture.failure(received);
    assertEquals(ErrorCode.REDIRECT_FAILED, error.code());
    fx.closeAllAndAwait();
    fx.rec.assertNext(SENT_ON_NEW_CONNECTION + """
        request REDIRECT             /a
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT             /b
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REQUEST_ERROR        %s %s
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """.formatted(AsyncApi.RECEIVE_RESPONSE, ErrorCode.REDIRECT_FAILED));
    assertEquals(3, server.getRequestCount(), "the third redirect is not followed");
  }
}
