package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rule 21 for TLS: a certificate or handshake problem is a SECURE_FAILURE notification whose
 * flags say why, then REQUEST_ERROR(SEND_REQUEST, SECURE_FAILURE) with the JDK's SSLException as
 * the cause; nothing is sent, and the server sees exactly one handshake attempt (no retry, no
 * downgrade).
 */
@ExtendWith(LeakCheck.class)
class SecureFailureTest {
  private TlsFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /**
   * Sends a GET to {@code host}:{@code server} and asserts the whole failure: the table, the
   * cause, nothing received by the server, and one connection.
   */
  private void assertSecureFailure(MockWebServer server, String host, String flags) {
    server.enqueue(new MockResponse.Builder().body("never").build());
    Request request = fx.secure(fx.connect(host, server.getPort()), "GET", "/");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause(),
        "the cause chain keeps the original SSLException: " + error);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", host) + """
        request SECURE_FAILURE %s
        request REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """.formatted(flags));
    fx.rec.assertExhausted();
    assertEquals(0, httpRequestsReceived(server), "no request reached the server");
    assertEquals(1, fx.accepted(server), "exactly one handshake attempt: no retry, no downgrade");
  }

  /**
   * The HTTP requests the server read. MockWebServer also records a failed handshake as a
   * (bookkeeping) request with a failure; those are not HTTP requests and are not counted.
   */
  static int httpRequestsReceived(MockWebServer server) {
    int received = 0;
    int count = server.getRequestCount();
    for (int i = 0; i < count; i++) {
      try {
        mockwebserver3.RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        if (recorded != null && recorded.getFailure() == null) {
          received++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return received;
  }

  private MockWebServer serving(HeldCertificate leaf, HeldCertificate issuer) throws Exception {
    return fx.https(Certificates.server(leaf, issuer));
  }

  @Test
  void aChainFromAnUnknownCaFailsWithInvalidCa() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.LOCALHOST_UNKNOWN_CA, Certificates.UNTRUSTED_ROOT),
        "localhost", "INVALID_CA");
  }

  @Test
  void aSelfSignedCertificateFailsWithInvalidCa() throws Exception {
    fx = new TlsFixture();
    HeldCertificate selfSigned = new HeldCertificate.Builder().commonName("localhost")
        .addSubjectAlternativeName("localhost").build();
    MockWebServer server = fx.https(
        new HandshakeCertificates.Builder().heldCertificate(selfSigned).build());
    assertSecureFailure(server, "localhost", "INVALID_CA");
  }

  @Test
  void aCertificateForAnotherHostNameFailsWithCertCnInvalid() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.OTHER_HOST, Certificates.ROOT), "localhost",
        "CERT_CN_INVALID");
  }

  @Test
  void aCertificateForLocalhostDoesNotCoverTheAddress127001() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.LOCALHOST, Certificates.ROOT), "127.0.0.1",
        "CERT_CN_INVALID");
  }

  @Test
  void anExpiredCertificateFailsWithCertDateInvalid() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.EXPIRED, Certificates.ROOT), "localhost",
        "CERT_DATE_INVALID");
  }

  @Test
  void aCertificateThatIsNotYetValidFailsWithCertDateInvalid() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.NOT_YET_VALID, Certificates.ROOT), "localhost",
        "CERT_DATE_INVALID");
  }

  @Test
  void aCertificateWhoseExtendedKeyUsageIsClientAuthOnlyFailsWithCertWrongUsage()
      throws Exception {
    Certificates.WrongUsage wrong = Certificates.wrongUsage();
    fx = new TlsFixture(TlsFixture.builder(wrong.clientTrust()));
    assertSecureFailure(fx.https(wrong.server()), "localhost", "CERT_WRONG_USAGE");
  }

  @Test
  void anUnknownCaAndAWrongHostNameAreBothReported() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(
        serving(Certificates.OTHER_HOST_UNKNOWN_CA, Certificates.UNTRUSTED_ROOT), "localhost",
        "CERT_CN_INVALID INVALID_CA");
  }

  @Test
  void anExpiredCertificateForAnotherHostNameReportsBothProblems() throws Exception {
    fx = new TlsFixture();
    assertSecureFailure(serving(Certificates.EXPIRED_OTHER_HOST, Certificates.ROOT), "localhost",
        "CERT_CN_INVALID CERT_DATE_INVALID");
  }

  @Test
  void aServerThatAnswersTheClientHelloWithPlainHttpFailsWithSecurityChannelError()
      throws Exception {
    fx = new TlsFixture();
    CountDownLatch done = new CountDownLatch(1);
    RawServer plain = fx.manage(RawServer.start(c -> {
      c.readBytes(5); // the first TLS record header of the ClientHello
      c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      done.countDown();
      c.holdSilently();
    }));
    Request request = fx.secure(fx.connect(plain.port()), "GET", "/");
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause(), error::toString);
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
    assertEquals(1, plain.connections(), "no retry");
    assertTrue(done.await(20, TimeUnit.SECONDS));
  }

  @Test
  void aFailedHandshakeOnARawTlsServerIsOneConnectionAndTheServerSeesTheHandshakeEnd()
      throws Exception {
    fx = new TlsFixture();
    java.util.concurrent.CompletableFuture<Throwable> serverSaw =
        new java.util.concurrent.CompletableFuture<>();
    RawTlsServer server = fx.manage(new RawTlsServer(
        Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA, Certificates.UNTRUSTED_ROOT)
            .sslContext(),
        c -> {
          try {
            serverSaw.complete(new AssertionError("the server read a request: " + c.readHead()));
          } catch (Throwable t) {
            serverSaw.complete(t);
          }
        }));
    Request request = fx.secure(fx.connect(server.port()), "GET", "/");
    awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    // an alert (SSLException), or a reset if the client's close overtook it (SocketException)
    assertInstanceOf(java.io.IOException.class, serverSaw.get(20, TimeUnit.SECONDS),
        "the server's handshake ended with an alert or a close, never with a request");
    fx.closeAllAndAwait();
    server.close();
    assertEquals(1, server.connections(), "exactly one handshake attempt");
  }
}
