package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.SecurityInfo;
import dev.telltale.Session;
import dev.telltale.StatusEvent;
import dev.telltale.testkit.LeakCheck;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Handshake;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS handshake: a good chain looks exactly like plain http from the callback's point of view,
 * SNI, what {@code securityInfo()} reports, protocol versions and client certificates.
 */
@ExtendWith(LeakCheck.class)
class TlsHandshakeTest {
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

  /** GET {@code path} over https to localhost:{@code port}; returns the body. */
  private String get(Request request) {
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    return TlsFixture.readAll(request);
  }

  @Test
  void aRequestOverAGoodChainEmitsExactlyTheNotificationsOfPlainHttp() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("hello"));
    Connect connect = fx.connect(server.getPort());
    Request request = fx.secure(connect, "GET", "/hello");
    assertTrue(request.isSecure());
    assertEquals("hello", get(request));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.freshExchange("request") + """
        request READ_COMPLETE 5
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    fx.rec.assertExhausted();
    RecordedRequest recorded = server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals("/hello", recorded.getUrl().encodedPath());
    assertNotNull(recorded.getHandshake(), "the request came over TLS");
    assertEquals(1, fx.accepted(server));
  }

  @Test
  void theHandshakeSendsTheHostNameAsServerNameIndication() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("sni"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("sni", get(request));
    RecordedRequest recorded = server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals(List.of("localhost"), recorded.getHandshakeServerNames());
  }

  @Test
  void noServerNameIndicationIsSentWhenConnectingToAnAddressLiteral() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("ip"));
    Request request = fx.secure(fx.connect("127.0.0.1", server.getPort()), "GET", "/");
    request.setOption(Option.SECURITY_FLAGS, Set.of(dev.telltale.SecurityFlag.IGNORE_CERT_CN_INVALID));
    assertEquals("ip", get(request));
    RecordedRequest recorded = server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals(List.of(), recorded.getHandshakeServerNames());
  }

  @Test
  void securityInfoIsEmptyBeforeSendingAndDescribesTheSessionAfterSendRequestCompletes()
      throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("info"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertTrue(request.securityInfo().isEmpty(), "no connection yet");
    await(request.sendRequest());
    SecurityInfo info = request.securityInfo().orElseThrow();
    assertTrue(Set.of("TLSv1.2", "TLSv1.3").contains(info.protocol()), info.protocol());
    assertFalse(info.cipherSuite().isEmpty());
    assertEquals(Certificates.LOCALHOST.certificate(), info.peerCertificates().get(0),
        "the leaf comes first");
    assertEquals(Certificates.ROOT.certificate(), info.peerCertificates().get(1));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("info", TlsFixture.readAll(request));
    Handshake handshake = server.takeRequest(20, TimeUnit.SECONDS).getHandshake();
    assertEquals(handshake.tlsVersion().javaName(), info.protocol());
    assertEquals(handshake.cipherSuite().javaName(), info.cipherSuite());
  }

  @Test
  void aPlainHttpRequestHasNoSecurityInfo() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.http();
    server.enqueue(body("plain"));
    Request request = fx.plain(fx.connect("127.0.0.1", server.getPort()), "GET", "/");
    assertFalse(request.isSecure());
    assertEquals("plain", get(request));
    assertTrue(request.securityInfo().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void aServerLimitedToOneProtocolIsReachedWithTheDefaultProtocols(String protocol)
      throws Exception {
    fx = new TlsFixture();
    MockWebServer server =
        fx.https(Certificates.limitedTo(Certificates.goodServer().sslSocketFactory(), protocol));
    server.enqueue(body("v"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("v", get(request));
    assertEquals(protocol, request.securityInfo().orElseThrow().protocol());
  }

  @Test
  void aSessionLimitedToTls12NegotiatesTls12WithAServerThatAllowsBoth() throws Exception {
    fx = new TlsFixture();
    fx.session.setOption(Option.SECURE_PROTOCOLS, Set.of("TLSv1.2"));
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("v"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("v", get(request));
    assertEquals("TLSv1.2", request.securityInfo().orElseThrow().protocol());
  }

  @Test
  void theDefaultSecureProtocolsAreTls12AndTls13() {
    fx = new TlsFixture();
    assertEquals(Set.of("TLSv1.2", "TLSv1.3"), fx.session.queryOption(Option.SECURE_PROTOCOLS));
  }

  @ParameterizedTest(name = "client {0}, server {1}")
  @org.junit.jupiter.params.provider.CsvSource({"TLSv1.3, TLSv1.2", "TLSv1.2, TLSv1.3"})
  void aClientAndServerWithoutACommonProtocolFailWithSecurityChannelError(String client,
      String server) throws Exception {
    fx = new TlsFixture();
    fx.session.setOption(Option.SECURE_PROTOCOLS, Set.of(client));
    MockWebServer web =
        fx.https(Certificates.limitedTo(Certificates.goodServer().sslSocketFactory(), server));
    Request request = fx.secure(fx.connect(web.getPort()), "GET", "/");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause(), "the cause keeps the JDK's exception");
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request SECURE_FAILURE SECURITY_CHANNEL_ERROR
        request REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, fx.accepted(web), "one handshake attempt: no retry, no downgrade");
  }

  @Test
  void aServerThatRequiresAClientCertificateGetsTheOneFromTheKeyManager() throws Exception {
    HandshakeCertificates client = Certificates.clientWithCertificate();
    fx = new TlsFixture(TlsFixture.builder(client).keyManager(client.keyManager()));
    MockWebServer server = fx.https(
        Certificates.serverTrustingClients(Certificates.LOCALHOST, Certificates.ROOT));
    server.requireClientAuth();
    server.enqueue(body("welcome"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("welcome", get(request));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.freshExchange("request") + """
        request READ_COMPLETE 7
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    Handshake handshake = server.takeRequest(20, TimeUnit.SECONDS).getHandshake();
    X509Certificate presented = (X509Certificate) handshake.peerCertificates().get(0);
    assertEquals(Certificates.CLIENT.certificate(), presented);
  }

  @Test
  void aServerThatOnlyRequestsAClientCertificateIsServedWithoutOne() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(
        Certificates.serverTrustingClients(Certificates.LOCALHOST, Certificates.ROOT));
    server.requestClientAuth();
    server.enqueue(body("anyone"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("anyone", get(request));
    assertTrue(server.takeRequest(20, TimeUnit.SECONDS).getHandshake().peerCertificates()
        .isEmpty());
  }

  /**
   * With TLS 1.3 the server checks the client's (empty) certificate after the client has finished
   * its handshake and possibly sent the request, so the failure may surface on receiveResponse.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void aServerThatRequiresAClientCertificateFailsWithClientAuthCertNeededWhenThereIsNone(
      String protocol) throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.limitedTo(Certificates.serverTrustingClients(
        Certificates.LOCALHOST, Certificates.ROOT).sslSocketFactory(), protocol));
    server.requireClientAuth();
    server.enqueue(body("never"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    CompletableFuture<Void> sent = request.sendRequest();
    HttpException error;
    String api;
    if (protocol.equals("TLSv1.2")) {
      error = awaitFailure(sent, ErrorCode.CLIENT_AUTH_CERT_NEEDED);
      api = "SEND_REQUEST";
    } else {
      CompletableFuture<?> failing = sent;
      try {
        sent.get(20, TimeUnit.SECONDS);
        failing = request.receiveResponse();
      } catch (java.util.concurrent.ExecutionException e) {
        // failed on sendRequest: also allowed
      }
      error = awaitFailure(failing, ErrorCode.CLIENT_AUTH_CERT_NEEDED);
      api = failing == sent ? "SEND_REQUEST" : "RECEIVE_RESPONSE";
    }
    assertNotNull(error.getMessage());
    fx.closeAllAndAwait();
    List<String> lines = fx.linesOf("request");
    assertTrue(lines.contains("REQUEST_ERROR " + api + " CLIENT_AUTH_CERT_NEEDED"),
        () -> "expected REQUEST_ERROR " + api + " CLIENT_AUTH_CERT_NEEDED in " + lines);
    assertEquals(1, lines.stream().filter(l -> l.startsWith("REQUEST_ERROR")).count(), lines::toString);
    assertFalse(lines.contains("HEADERS_AVAILABLE"), lines::toString);
    assertEquals(1, fx.accepted(server), "one handshake attempt, no retry");
  }

  @Test
  void aSessionBuiltWithAnSslContextTrustsWhatItsTrustManagerTrusts() throws Exception {
    fx = new TlsFixture(TlsFixture.loopback().sslContext(Certificates.clientTrust().sslContext()));
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("ctx"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals("ctx", get(request));
  }

  @Test
  void aSessionBuiltWithAnSslContextStillVerifiesTheHostName() throws Exception {
    fx = new TlsFixture(TlsFixture.loopback().sslContext(Certificates.clientTrust().sslContext()));
    MockWebServer server = fx.https(Certificates.server(Certificates.OTHER_HOST, Certificates.ROOT));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause());
    fx.closeAllAndAwait();
    assertTrue(fx.linesOf("request").stream().anyMatch(l -> l.startsWith("SECURE_FAILURE")),
        () -> fx.linesOf("request").toString());
  }

  @Test
  void aSessionBuiltWithAnSslContextRejectsAnUnknownCa() throws Exception {
    fx = new TlsFixture(TlsFixture.loopback().sslContext(Certificates.clientTrust().sslContext()));
    MockWebServer server = fx.https(
        Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA, Certificates.UNTRUSTED_ROOT));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause());
    assertEquals(1, fx.accepted(server));
  }

  @Test
  void aRequestWithIgnoreFlagsFailsWithSecureFailureWhenTheSessionWasBuiltWithAnSslContext()
      throws Exception {
    fx = new TlsFixture(TlsFixture.loopback().sslContext(Certificates.clientTrust().sslContext()));
    MockWebServer server = fx.https(Certificates.goodServer());
    server.enqueue(body("never"));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    request.setOption(Option.SECURITY_FLAGS, Set.of(dev.telltale.SecurityFlag.IGNORE_UNKNOWN_CA));
    awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    fx.closeAllAndAwait();
    List<String> lines = fx.linesOf("request");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("SECURE_FAILURE")), lines::toString);
    assertTrue(lines.contains("REQUEST_ERROR SEND_REQUEST SECURE_FAILURE"), lines::toString);
    assertFalse(lines.contains("SENDING_REQUEST"), lines::toString);
    assertEquals(0, SecureFailureTest.httpRequestsReceived(server), "nothing was sent");
  }

  @Test
  void aSecureRequestOnPortZeroConnectsToPort443() throws Exception {
    CompletableFuture<InetSocketAddress> connecting = new CompletableFuture<>();
    Session session = TlsFixture.builder(Certificates.clientTrust()).build();
    try {
      session.setStatusCallback((handle, context, event) -> {
        if (event instanceof StatusEvent.ConnectingToServer c) {
          connecting.complete(c.address());
        }
      }, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("localhost", 0);
      Request request = connect.openRequest("GET", "/", OpenRequestFlag.SECURE);
      CompletableFuture<Void> sent = request.sendRequest();
      assertEquals(443, await(connecting).getPort());
      request.close();
      connect.close();
      // the outcome (refused, cancelled, or anything that listens on 443) does not matter here
      sent.handle((v, e) -> null).get(20, TimeUnit.SECONDS);
    } finally {
      session.close();
    }
    dev.telltale.testkit.AsyncAssertions.awaitTermination(session);
  }

  @Test
  void theSecureFailureNotificationIsDeliveredOnlyToCallbacksThatAskForIt() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(
        Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA, Certificates.UNTRUSTED_ROOT));
    Connect connect = fx.connect(server.getPort());
    Request request = fx.secure(connect, "GET", "/");
    request.setStatusCallback(fx.rec, NotificationFlags.of(
        dev.telltale.CallbackStatus.REQUEST_ERROR, dev.telltale.CallbackStatus.HANDLE_CLOSING));
    awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }
}
