package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.Option;
import dev.telltale.RedirectPolicy;
import dev.telltale.Request;
import dev.telltale.SecurityFlag;
import dev.telltale.testkit.LeakCheck;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pool safety over TLS (a pooled connection is reused only for the same origin and the same
 * security settings) and the redirect policy across schemes.
 */
@ExtendWith(LeakCheck.class)
class TlsPoolAndRedirectTest {
  private TlsFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static MockResponse body(String text) {
    return new MockResponse.Builder().body(text).build();
  }

  private static MockResponse redirect(String location) {
    return new MockResponse.Builder().code(302).addHeader("Location", location).build();
  }

  private static String get(Request request) {
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    return TlsFixture.readAll(request);
  }

  private static String reusedExchange(String alias, int bodyLength) {
    return alias + " HANDLE_CREATED " + alias + "\n"
        + alias + " SENDING_REQUEST\n"
        + alias + " REQUEST_SENT\n"
        + alias + " SENDREQUEST_COMPLETE\n"
        + alias + " RECEIVING_RESPONSE\n"
        + alias + " RESPONSE_RECEIVED\n"
        + alias + " HEADERS_AVAILABLE\n"
        + alias + " READ_COMPLETE " + bodyLength + "\n"
        + alias + " READ_COMPLETE 0\n"
        + alias + " HANDLE_CLOSING\n";
  }

  private static String freshExchange(String alias, int bodyLength) {
    return alias + " HANDLE_CREATED " + alias + "\n"
        + TlsFixture.freshExchange(alias)
        + alias + " READ_COMPLETE " + bodyLength + "\n"
        + alias + " READ_COMPLETE 0\n"
        + alias + " HANDLE_CLOSING\n";
  }

  /** Runs a first request (with {@code firstFlags}) to completion and closes it. */
  private void first(Connect connect, Set<SecurityFlag> firstFlags) {
    Request first = fx.secure(connect, "GET", "/1");
    first.setOption(Option.SECURITY_FLAGS, firstFlags);
    assertEquals("one", get(first));
    fx.closeAndAwait(first);
    fx.rec.assertNext("session HANDLE_CREATED connect\n" + freshExchange("request", 3));
  }

  @Test
  void aSecondHttpsRequestToTheSameOriginReusesThePooledConnectionWithoutResolvingOrConnecting()
      throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("one"));
    server.enqueue(body("two"));
    Connect connect = fx.connect(server.getPort());
    first(connect, Set.of());
    Request second = fx.secure(connect, "GET", "/2");
    assertEquals("two", get(second));
    assertTrue(second.isConnectionReused());
    assertEquals(second.securityInfo().orElseThrow().peerCertificates().get(0),
        Certificates.LOCALHOST.certificate(), "a reused connection still reports its TLS session");
    fx.closeAllAndAwait();
    fx.rec.assertNext(reusedExchange("request2", 3) + """
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest one = server.takeRequest(20, TimeUnit.SECONDS);
    RecordedRequest two = server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals(one.getConnectionIndex(), two.getConnectionIndex());
    assertEquals(1, fx.accepted(server));
  }

  @Test
  void requestsWithEqualIgnoreFlagsShareAPooledConnection() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("one"));
    server.enqueue(body("two"));
    Connect connect = fx.connect(server.getPort());
    first(connect, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA));
    Request second = fx.secure(connect, "GET", "/2");
    second.setOption(Option.SECURITY_FLAGS, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA));
    assertEquals("two", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext(reusedExchange("request2", 3) + """
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, fx.accepted(server));
  }

  @Test
  void aRequestWithIgnoreFlagsNeverSharesAConnectionOpenedWithoutThem() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("one"));
    server.enqueue(body("two"));
    Connect connect = fx.connect(server.getPort());
    first(connect, Set.of());
    Request second = fx.secure(connect, "GET", "/2");
    second.setOption(Option.SECURITY_FLAGS, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA));
    assertEquals("two", get(second));
    assertFalse(second.isConnectionReused());
    fx.closeAllAndAwait();
    fx.rec.assertNext(freshExchange("request2", 3) + """
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest one = server.takeRequest(20, TimeUnit.SECONDS);
    RecordedRequest two = server.takeRequest(20, TimeUnit.SECONDS);
    assertNotEquals(one.getConnectionIndex(), two.getConnectionIndex());
    assertEquals(2, fx.accepted(server));
  }

  @Test
  void aRequestWithoutIgnoreFlagsNeverSharesAConnectionOpenedWithThem() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("one"));
    server.enqueue(body("two"));
    Connect connect = fx.connect(server.getPort());
    first(connect, Set.of(SecurityFlag.IGNORE_CERT_CN_INVALID));
    Request second = fx.secure(connect, "GET", "/2");
    assertEquals("two", get(second));
    fx.closeAllAndAwait();
    fx.rec.assertNext(freshExchange("request2", 3) + """
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(2, fx.accepted(server));
  }

  /**
   * A request with ignore flags makes an unverified TLS session. A later strict request to the
   * same origin must not get the benefit of it: neither through the pool (it opens its own
   * connection) nor through TLS session resumption on that new connection (which would skip the
   * certificate check altogether).
   */
  @ParameterizedTest(name = "server {0}, {1}")
  @CsvSource({
      "TLSv1.2, IGNORE_UNKNOWN_CA, INVALID_CA",
      "TLSv1.3, IGNORE_UNKNOWN_CA, INVALID_CA",
      "TLSv1.2, IGNORE_CERT_CN_INVALID, CERT_CN_INVALID",
      "TLSv1.3, IGNORE_CERT_CN_INVALID, CERT_CN_INVALID",
      "TLSv1.3, IGNORE_CERT_DATE_INVALID, CERT_DATE_INVALID"})
  void aStrictRequestAfterOneThatIgnoredAProblemIsCheckedAgainAndFails(String protocol,
      SecurityFlag ignored, String reported) throws Exception {
    fx = new TlsFixture();
    okhttp3.tls.HandshakeCertificates certificates = switch (ignored) {
      case IGNORE_UNKNOWN_CA -> Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA,
          Certificates.UNTRUSTED_ROOT);
      case IGNORE_CERT_CN_INVALID -> Certificates.server(Certificates.OTHER_HOST,
          Certificates.ROOT);
      case IGNORE_CERT_DATE_INVALID -> Certificates.server(Certificates.EXPIRED,
          Certificates.ROOT);
      default -> throw new IllegalArgumentException(ignored.name());
    };
    MockWebServer server =
        fx.https(Certificates.limitedTo(certificates.sslSocketFactory(), protocol));
    server.enqueue(body("one"));
    server.enqueue(body("never"));
    Connect connect = fx.connect(server.getPort());
    first(connect, Set.of(ignored));
    Request strict = fx.secure(connect, "GET", "/2");
    CompletableFuture<Void> sent = strict.sendRequest();
    sent.handle((v, e) -> null).get(20, TimeUnit.SECONDS);
    assertTrue(sent.isCompletedExceptionally(), () -> "the strict request was sent over a "
        + "connection nobody verified; its events: " + fx.linesOf("request2")
        + "; connections accepted: " + fx.accepted(server));
    awaitFailure(sent, ErrorCode.SECURE_FAILURE);
    fx.closeAllAndAwait();
    fx.rec.assertNext("request2 HANDLE_CREATED request2\n"
        + TlsFixture.fresh("request2", "localhost") + """
        request2 SECURE_FAILURE %s
        request2 REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request2 HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """.formatted(reported));
    assertEquals(2, fx.accepted(server));
  }

  @Test
  void aConnectionToLocalhostIsNotReusedForTheSamePortReachedAs127001() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("one"));
    server.enqueue(body("never"));
    first(fx.connect(server.getPort()), Set.of());
    Connect byAddress = fx.connect("127.0.0.1", server.getPort());
    Request request = fx.secure(byAddress, "GET", "/2");
    awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect2
        request2 HANDLE_CREATED request2
        """ + TlsFixture.fresh("request2", "127.0.0.1") + """
        request2 SECURE_FAILURE CERT_CN_INVALID
        request2 REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request2 HANDLE_CLOSING
        connect2 HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(2, fx.accepted(server));
  }

  @Test
  void anHttpsToHttpRedirectFailsWithRedirectFailedUnderTheDefaultPolicy() throws Exception {
    fx = new TlsFixture();
    MockWebServer plain = fx.http();
    MockWebServer secure = fx.https(Certificates.goodServer());
    secure.enqueue(redirect("http://127.0.0.1:" + plain.getPort() + "/final"));
    plain.enqueue(body("insecure"));
    Request request = fx.secure(fx.connect(secure.getPort()), "GET", "/start");
    assertEquals(RedirectPolicy.DISALLOW_HTTPS_TO_HTTP, request.queryOption(Option.REDIRECT_POLICY));
    await(request.sendRequest());
    awaitFailure(request.receiveResponse(), ErrorCode.REDIRECT_FAILED);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REQUEST_ERROR RECEIVE_RESPONSE REDIRECT_FAILED
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(0, fx.accepted(plain), "the http server was never contacted");
  }

  @Test
  void anHttpsToHttpRedirectIsFollowedUnderRedirectPolicyAlways() throws Exception {
    fx = new TlsFixture();
    MockWebServer plain = fx.http();
    MockWebServer secure = fx.https(Certificates.goodServer());
    secure.enqueue(redirect("http://127.0.0.1:" + plain.getPort() + "/final"));
    plain.enqueue(body("insecure"));
    Request request = fx.secure(fx.connect(secure.getPort()), "GET", "/start");
    request.setOption(Option.REDIRECT_POLICY, RedirectPolicy.ALWAYS);
    assertEquals("insecure", get(request));
    assertTrue(request.securityInfo().isEmpty(), "the final connection is plain http");
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT /final
        """ + TlsFixture.fresh("request", "127.0.0.1") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE 8
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals("/final", plain.takeRequest(20, TimeUnit.SECONDS).getUrl().encodedPath());
  }

  @Test
  void anHttpToHttpsRedirectIsFollowedUnderTheDefaultPolicy() throws Exception {
    fx = new TlsFixture();
    MockWebServer plain = fx.http();
    MockWebServer secure = fx.https(Certificates.goodServer());
    plain.enqueue(redirect("https://localhost:" + secure.getPort() + "/final"));
    secure.enqueue(body("secure"));
    Request request = fx.plain(fx.connect("127.0.0.1", plain.getPort()), "GET", "/start");
    assertEquals("secure", get(request));
    assertEquals(Certificates.LOCALHOST.certificate(),
        request.securityInfo().orElseThrow().peerCertificates().get(0));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "127.0.0.1") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT /final
        """ + TlsFixture.fresh("request", "localhost") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE 6
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    RecordedRequest recorded = secure.takeRequest(20, TimeUnit.SECONDS);
    assertEquals("/final", recorded.getUrl().encodedPath());
    assertEquals(java.util.List.of("localhost"), recorded.getHandshakeServerNames());
  }

  @Test
  void anHttpToHttpsRedirectToAnUntrustedServerFailsWithSecureFailureOnReceiveResponse()
      throws Exception {
    fx = new TlsFixture();
    MockWebServer plain = fx.http();
    MockWebServer secure = fx.https(Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    plain.enqueue(redirect("https://localhost:" + secure.getPort() + "/final"));
    secure.enqueue(body("never"));
    Request request = fx.plain(fx.connect("127.0.0.1", plain.getPort()), "GET", "/start");
    await(request.sendRequest());
    awaitFailure(request.receiveResponse(), ErrorCode.SECURE_FAILURE);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "127.0.0.1") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT /final
        """ + TlsFixture.fresh("request", "localhost") + """
        request SECURE_FAILURE INVALID_CA
        request REQUEST_ERROR RECEIVE_RESPONSE SECURE_FAILURE
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, fx.accepted(secure));
  }

  @Test
  void aRedirectWithinTheSameHttpsOriginReusesTheTlsConnection() throws Exception {
    fx = new TlsFixture();
    MockWebServer secure = fx.https(Certificates.goodServer());
    secure.enqueue(redirect("/final"));
    secure.enqueue(body("here"));
    Request request = fx.secure(fx.connect(secure.getPort()), "GET", "/start");
    assertEquals("here", get(request));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT /final
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE 4
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, fx.accepted(secure));
  }
}
